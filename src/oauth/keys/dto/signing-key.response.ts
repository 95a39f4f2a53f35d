import { ApiProperty } from '@nestjs/swagger';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../../config/environment.js';
import type { SigningKeyEntity, SigningKeyStatus } from '../signing-key.entity.js';

const SIGNING_KEY_STATUSES: readonly SigningKeyStatus[] = ['active', 'retired'];

/** What an operator sees of a signing key: its public identity and lifecycle, never key material (the JWKS has the public keys). */
export class SigningKeyResponse {
  @ApiProperty({
    description: 'The key ID: the RFC 7638 JWK thumbprint of the public key, as in the `kid` header of the tokens it signs.',
    example: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
  })
  kid!: string;

  @ApiProperty({ enum: SIGNING_ALGORITHMS, description: 'The JWS algorithm (RFC 7518).' })
  alg!: SigningAlgorithm;

  @ApiProperty({
    enum: SIGNING_KEY_STATUSES,
    description:
      'active: signs new tokens (exactly one key is). retired: signs nothing, but stays in /oauth/jwks until every token it signed has expired.',
  })
  status!: SigningKeyStatus;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', nullable: true, description: 'When the key stopped signing; null while it is active.' })
  retired_at!: string | null;
}

export class SigningKeyListResponse {
  @ApiProperty({ type: [SigningKeyResponse], description: 'Newest first.' })
  data!: SigningKeyResponse[];
}

/** A plain object of the SigningKeyResponse shape (never the entity, which holds the encrypted private key). */
export function toSigningKeyResponse(key: SigningKeyEntity): SigningKeyResponse {
  return {
    kid: key.kid,
    alg: key.alg,
    status: key.status,
    created_at: key.createdAt.toISOString(),
    retired_at: key.retiredAt?.toISOString() ?? null,
  };
}
