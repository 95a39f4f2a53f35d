import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/require-scopes.decorator.js';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator.js';
import { ValidQuery } from '../common/http/validation.pipe.js';
import { PageOf, type PageResponse } from '../common/pagination/page.response.js';
import { AuditEventsQuery } from './audit-events.query.js';
import { AuditEventResponse, toAuditEventResponse } from './dto/audit-event.response.js';
import { AuditEventsQueryDto, toAuditEventFilter } from './dto/audit-events-query.dto.js';

@Controller('admin/audit-events')
@RequireScopes('admin')
@ApiTags('Admin: audit log')
export class AdminAuditEventsController {
  constructor(private readonly auditEvents: AuditEventsQuery) {}

  @Get()
  @ApiOperation({
    summary: 'List audit events',
    description:
      'Tokens issued and refused, and changes to organizations, clients, secrets, signing keys and sync connections; ' +
      'newest first, one page at a time. Filters combine with AND; a cursor is valid only with the filters it was issued for. ' +
      'Events are kept for AUDIT_RETENTION_DAYS and appear within a fraction of a second of happening.',
  })
  @ApiOkResponse({ type: PageOf(AuditEventResponse) })
  @ApiProblemResponses(400)
  async list(@ValidQuery() query: AuditEventsQueryDto): Promise<PageResponse<AuditEventResponse>> {
    const page = await this.auditEvents.list(toAuditEventFilter(query), query.limit, query.cursor);
    return { data: page.data.map(toAuditEventResponse), next_cursor: page.nextCursor };
  }
}
