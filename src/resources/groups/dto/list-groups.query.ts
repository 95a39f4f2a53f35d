import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { TextField } from '../../members/dto/member-fields.js';
import { ListQueryDto } from '../../shared/list-query.dto.js';

export class ListGroupsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 255, description: 'Exact match.' })
  @IsOptional()
  @TextField('external_id')
  external_id?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, description: 'Exact match, case-sensitive.' })
  @IsOptional()
  @TextField('display_name')
  display_name?: string;
}
