import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsRFC3339, IsString, Max, MaxLength, Min } from 'class-validator';

/** Query strings carry text: "true"/"false" become booleans, anything else stays and fails validation. */
export function QueryBoolean(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
}

/** Paging and incremental-read parameters shared by the organization list endpoints. */
export class ListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'limit must be a whole number between 1 and 500' })
  @Min(1, { message: 'limit must be a whole number between 1 and 500' })
  @Max(500, { message: 'limit must be a whole number between 1 and 500' })
  limit: number = 100;

  @ApiPropertyOptional({ description: 'The next_cursor of the previous page, as given.' })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @MaxLength(512, { message: 'cursor is not one this list returned; start again without a cursor' })
  cursor?: string;

  /** RFC 3339. Records created, updated or deleted at or after this instant, tombstones included. */
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Incremental reads: records created, updated or deleted at or after this instant, tombstones included.',
  })
  @IsOptional()
  @IsRFC3339({ message: 'updated_since must be an RFC 3339 date-time, such as 2026-01-31T12:00:00Z' })
  updated_since?: string;

  @ApiPropertyOptional({ description: 'Also list tombstones of deleted records.' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'include_deleted must be true or false' })
  include_deleted?: boolean;
}
