import { ApiProperty } from '@nestjs/swagger';
import type { ClientSecretEntity } from '../../client-secret.entity.js';
import { CLIENT_SECRET_PREFIX } from '../../client-credentials.js';

export const SECRET_STATUSES = ['active', 'expired', 'revoked'] as const;
export type SecretStatus = (typeof SECRET_STATUSES)[number];

const INSTANT = { format: 'date-time', nullable: true } as const;

/** What an operator may see of a stored secret: never the secret, never its hash. */
export class ClientSecretResponse {
  @ApiProperty({ format: 'uuid', description: 'The secret ID (a UUIDv7).' })
  id!: string;

  @ApiProperty({ description: 'The client the secret belongs to.' })
  client_id!: string;

  @ApiProperty({ description: 'The last characters of the secret, to tell secrets apart.', example: 'x9Qa' })
  hint!: string;

  @ApiProperty({ enum: SECRET_STATUSES, description: 'active until it expires or is revoked; ended secrets are listed for 30 days.' })
  status!: SecretStatus;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ ...INSTANT, description: 'When the secret stops (or stopped) working; null, never.' })
  expires_at!: string | null;

  @ApiProperty({ ...INSTANT, description: 'When the secret last authenticated a token request; recorded within about a minute.' })
  last_used_at!: string | null;

  @ApiProperty({ ...INSTANT, description: 'When the secret was revoked; null, it was not.' })
  revoked_at!: string | null;
}

export class ClientSecretListResponse {
  @ApiProperty({ type: [ClientSecretResponse] })
  data!: ClientSecretResponse[];
}

export class CreatedClientSecretResponse extends ClientSecretResponse {
  @ApiProperty({
    description: 'The client secret. Shown in this response only: it is stored as a hash and can never be read again.',
    // A placeholder, not a secret: secret scanners look for this prefix.
    example: `${CLIENT_SECRET_PREFIX}${'x'.repeat(43)}`,
  })
  client_secret!: string;

  @ApiProperty({ type: 'integer', description: 'RFC 7591 section 3.2.1: when the secret expires, in seconds since the epoch; 0, never.' })
  client_secret_expires_at!: number;

  @ApiProperty({
    ...INSTANT,
    description: "When the client's other secrets stop working, if grace_period_seconds was given; null, they were left as they were.",
  })
  previous_secrets_expire_at!: string | null;
}

export function secretStatus(secret: ClientSecretEntity, now: Date): SecretStatus {
  if (secret.revokedAt) return 'revoked';
  return secret.expiresAt !== null && secret.expiresAt <= now ? 'expired' : 'active';
}

/** RFC 7591 section 3.2.1: seconds since the epoch, or 0 when the secret does not expire. */
export function clientSecretExpiresAt(expiresAt: Date | null): number {
  return expiresAt === null ? 0 : Math.floor(expiresAt.getTime() / 1000);
}

export function toClientSecretResponse(secret: ClientSecretEntity, now: Date): ClientSecretResponse {
  return {
    id: secret.id,
    client_id: secret.clientId,
    hint: secret.hint,
    status: secretStatus(secret, now),
    created_at: secret.createdAt.toISOString(),
    expires_at: secret.expiresAt?.toISOString() ?? null,
    last_used_at: secret.lastUsedAt?.toISOString() ?? null,
    revoked_at: secret.revokedAt?.toISOString() ?? null,
  };
}

export function toCreatedClientSecretResponse(
  secret: ClientSecretEntity,
  clientSecret: string,
  previousSecretsExpireAt: Date | null,
  now: Date,
): CreatedClientSecretResponse {
  return {
    ...toClientSecretResponse(secret, now),
    client_secret: clientSecret,
    client_secret_expires_at: clientSecretExpiresAt(secret.expiresAt),
    previous_secrets_expire_at: previousSecretsExpireAt?.toISOString() ?? null,
  };
}
