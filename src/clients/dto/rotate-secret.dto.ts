import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export const DEFAULT_SECRET_GRACE_PERIOD = 3_600;
export const MAX_SECRET_GRACE_PERIOD = 30 * 86_400;

export class RotateSecretDto {
  /**
   * How long the client's previous secrets keep working; 0 ends them at once (a leaked secret).
   * Left out, the default applies; null is refused rather than read as 0.
   */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_SECRET_GRACE_PERIOD,
    default: DEFAULT_SECRET_GRACE_PERIOD,
    description: "Seconds the client's previous secrets keep working; 0 ends them at once (for a leaked secret).",
    example: 3600,
  })
  @IsInt({ message: 'grace_period_seconds must be a whole number of seconds' })
  @Min(0, { message: 'grace_period_seconds must not be negative' })
  @Max(MAX_SECRET_GRACE_PERIOD, { message: `grace_period_seconds must be at most ${MAX_SECRET_GRACE_PERIOD} (30 days)` })
  grace_period_seconds: number = DEFAULT_SECRET_GRACE_PERIOD;
}
