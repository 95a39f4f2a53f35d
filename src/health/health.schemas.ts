import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessResponse {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

const INDICATORS: ApiPropertyOptions = {
  type: 'object',
  description:
    'By check (lifecycle, database, migrations, and signing_key except on a worker): its status ("up" or "down") and, when down, a message.',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] }, message: { type: 'string' } },
    required: ['status'],
  },
};

/** @nestjs/terminus's health check result. */
export class ReadinessResponse {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status!: 'ok' | 'error' | 'shutting_down';

  @ApiPropertyOptional({ ...INDICATORS, description: 'The checks that passed.' })
  info?: Record<string, unknown>;

  @ApiPropertyOptional({ ...INDICATORS, description: 'The checks that failed.' })
  error?: Record<string, unknown>;

  @ApiProperty(INDICATORS)
  details!: Record<string, unknown>;
}
