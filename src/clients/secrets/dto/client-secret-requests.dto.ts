import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';

/** Like @IsOptional, but null is validated (and refused) rather than read as absent. */
const UnlessAbsent = () => ValidateIf((_dto: object, value: unknown) => value !== undefined);

export const MAX_SECRET_GRACE_PERIOD = 30 * 86_400;
export const MAX_SECRET_LIFETIME = 2 * 365 * 86_400;
/** What `orgsync clients rotate-secret` gives the previous secrets when no grace period is named. */
export const DEFAULT_ROTATION_GRACE_PERIOD = 3_600;

const GRACE = {
  type: 'integer',
  minimum: 0,
  maximum: MAX_SECRET_GRACE_PERIOD,
  example: 3600,
} as const;
const GRACE_MESSAGES = {
  whole: 'grace_period_seconds must be a whole number of seconds',
  negative: 'grace_period_seconds must not be negative',
  tooLong: `grace_period_seconds must be at most ${MAX_SECRET_GRACE_PERIOD} (30 days)`,
};

/** `POST /admin/clients/:clientId/secrets`: a new secret, and optionally an end to the others. */
export class AddClientSecretDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_SECRET_LIFETIME,
    description: "The new secret's own lifetime in seconds; left out, it does not expire.",
    example: 7_776_000,
  })
  @UnlessAbsent()
  @IsInt({ message: 'expires_in must be a whole number of seconds' })
  @Min(1, { message: 'expires_in must be at least 1' })
  @Max(MAX_SECRET_LIFETIME, { message: `expires_in must be at most ${MAX_SECRET_LIFETIME} (2 years)` })
  expires_in?: number;

  /** Null is refused rather than read as 0 (which would end the other secrets at once). */
  @ApiPropertyOptional({
    ...GRACE,
    description:
      "Seconds the client's other secrets keep working; 0 ends them at once (a leaked secret). Left out, the other secrets are left as they are.",
  })
  @UnlessAbsent()
  @IsInt({ message: GRACE_MESSAGES.whole })
  @Min(0, { message: GRACE_MESSAGES.negative })
  @Max(MAX_SECRET_GRACE_PERIOD, { message: GRACE_MESSAGES.tooLong })
  grace_period_seconds?: number;
}

/** `POST /admin/clients/:clientId/secrets/:secretId/expire`. */
export class ExpireClientSecretDto {
  @ApiProperty({ ...GRACE, description: 'Seconds the secret keeps working; 0 ends it now.' })
  @IsInt({ message: GRACE_MESSAGES.whole })
  @Min(0, { message: GRACE_MESSAGES.negative })
  @Max(MAX_SECRET_GRACE_PERIOD, { message: GRACE_MESSAGES.tooLong })
  grace_period_seconds!: number;
}

/** `?force=true`: end the client's last live secret even though that locks the client out. */
export class ForceQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description: "Required to end the client's last live secret, which locks out a client that authenticates with a secret.",
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'force must be true or false' })
  force?: 'true' | 'false';
}
