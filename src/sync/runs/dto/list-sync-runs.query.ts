import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { ListQueryDto } from '../../../resources/shared/list-query.dto.js';

/** `GET /api/v1/sync/runs`: paged like every organization list, optionally for one connection. */
export class ListSyncRunsQueryDto extends PickType(ListQueryDto, ['limit', 'cursor'] as const) {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this connection's runs." })
  @IsOptional()
  @IsUUID('all', { message: 'connection_id must be a sync connection ID (a UUID)' })
  connection_id?: string;
}
