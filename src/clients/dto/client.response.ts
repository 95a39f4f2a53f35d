import type { ClientEntity } from '../client.entity.js';
import type { RotatedSecret } from '../clients.service.js';

/** Client metadata as RFC 7591 section 3.2.1 names it, plus orgsync's own fields. Never a hash. */
export interface ClientResponse {
  client_id: string;
  client_id_issued_at: number;
  client_name: string;
  organization_id: string;
  scope: string;
  default_scope: string;
  token_endpoint_auth_method: string;
  grant_types: string[];
  access_token_ttl: number | null;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface ClientWithSecretResponse extends ClientResponse {
  client_secret: string;
  /** RFC 7591: 0 means the secret does not expire. */
  client_secret_expires_at: number;
}

export interface RotatedSecretResponse {
  client_id: string;
  client_secret: string;
  client_secret_expires_at: number;
  previous_secrets_expire_at: string;
}

export function toClientResponse(client: ClientEntity): ClientResponse {
  return {
    client_id: client.clientId,
    client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
    client_name: client.clientName,
    organization_id: client.organizationId,
    scope: client.scope,
    default_scope: client.defaultScope,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    grant_types: client.grantTypes.split(' '),
    access_token_ttl: client.accessTokenTtl,
    status: client.status,
    created_at: client.createdAt.toISOString(),
    updated_at: client.updatedAt.toISOString(),
  };
}

export function toClientWithSecretResponse(client: ClientEntity, clientSecret: string): ClientWithSecretResponse {
  return { ...toClientResponse(client), client_secret: clientSecret, client_secret_expires_at: 0 };
}

export function toRotatedSecretResponse(rotated: RotatedSecret): RotatedSecretResponse {
  return {
    client_id: rotated.client.clientId,
    client_secret: rotated.clientSecret,
    client_secret_expires_at: 0,
    previous_secrets_expire_at: rotated.previousSecretsExpireAt.toISOString(),
  };
}
