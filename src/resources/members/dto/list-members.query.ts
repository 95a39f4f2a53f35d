import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQueryDto, QueryBoolean } from '../../shared/list-query.dto.js';

export class ListMembersQueryDto extends ListQueryDto {
  /** Exact match, ignoring case. */
  @ApiPropertyOptional({ format: 'email', description: 'Exact match, ignoring case.' })
  @IsOptional()
  @IsString({ message: 'email must be a string' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}
