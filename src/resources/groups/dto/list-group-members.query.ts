import { PickType } from '@nestjs/swagger';
import { ListQueryDto } from '../../shared/list-query.dto.js';

/** A group's members are paged like any list, without the incremental-read filters. */
export class ListGroupMembersQueryDto extends PickType(ListQueryDto, ['limit', 'cursor'] as const) {}
