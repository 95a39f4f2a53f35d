import { DomainError, type FieldError } from '../common/errors/domain-error.js';
import type { TokenEndpointAuthMethod } from './client.entity.js';
import { type ClientJwksInput, jwksUriTransportProblem } from './dto/client-keys.validation.js';

/** A client's keys as stored: the JWK Set as JSON text, or the URL of one, or neither. */
export interface KeySettings {
  readonly jwks: string | null;
  readonly jwksUri: string | null;
}

/** A change of keys: undefined keeps, null removes; setting one removes the other. */
export interface KeyChange {
  readonly jwks?: ClientJwksInput | null;
  readonly jwksUri?: string | null;
}

/**
 * The rules for a client's keys beyond their form (checked by the DTOs):
 * RFC 7591 section 2, `jwks` and `jwks_uri` "MUST NOT both be present";
 * private_key_jwt needs one of them; the URL is https outside development.
 */
export function checkKeySettings(
  method: TokenEndpointAuthMethod,
  current: KeySettings,
  change: KeyChange,
  environment: 'development' | 'production' | 'test',
): KeySettings {
  const errors: FieldError[] = [];
  const newJwks = change.jwks ?? undefined;
  const newUri = change.jwksUri ?? undefined;
  if (newJwks !== undefined && newUri !== undefined) {
    errors.push({ field: 'jwks_uri', message: 'jwks and jwks_uri must not both be given: register the keys or the URL of them' });
  }
  const jwks = newJwks !== undefined ? JSON.stringify(newJwks) : kept(current.jwks, change.jwks, newUri);
  const jwksUri = newUri ?? kept(current.jwksUri, change.jwksUri, newJwks);
  const transport = newUri !== undefined ? jwksUriTransportProblem(newUri, environment) : undefined;
  if (transport) errors.push({ field: 'jwks_uri', message: transport });
  if (method === 'private_key_jwt' && jwks === null && jwksUri === null && errors.length === 0) {
    errors.push({ field: 'jwks', message: 'a private_key_jwt client needs its public keys: give jwks or jwks_uri' });
  }
  if (errors.length > 0) throw DomainError.validation('The client settings are invalid.', errors);
  return { jwks, jwksUri };
}

/** A stored value stays unless the change removes it (null) or registers the other kind of key. */
function kept(current: string | null, change: unknown, other: unknown): string | null {
  return change === null || other !== undefined ? null : current;
}
