import type { Command } from 'commander';
import { AuditEventsQuery } from '../../audit/audit-events.query.js';
import { AuditRetention } from '../../audit/audit-retention.js';
import { type AuditEventResponse, toAuditEventResponse } from '../../audit/dto/audit-event.response.js';
import { AuditEventsQueryDto, toAuditEventFilter } from '../../audit/dto/audit-events-query.dto.js';
import { validated } from '../cli-input.js';
import type { CliSession } from '../cli-session.js';
import type { Column } from '../output.js';

const AUDIT_COLUMNS: readonly Column<AuditEventResponse>[] = [
  { header: 'OCCURRED_AT', value: (event) => event.occurred_at },
  { header: 'ACTION', value: (event) => event.action },
  { header: 'OUTCOME', value: (event) => event.outcome },
  { header: 'CLIENT', value: (event) => event.client_id },
  { header: 'ORGANIZATION', value: (event) => event.organization_id },
  { header: 'TARGET', value: (event) => (event.target ? `${event.target.type}:${event.target.id ?? '-'}` : null) },
  { header: 'SOURCE', value: (event) => event.source_address },
];

interface ListOptions {
  action?: string;
  actionPrefix?: string;
  outcome?: string;
  client?: string;
  org?: string;
  targetType?: string;
  targetId?: string;
  since?: string;
  until?: string;
  limit?: string;
  cursor?: string;
}

/** `orgsync audit ...`: read the audit log (as GET /admin/audit-events does) and prune it. */
export function registerAuditCommands(program: Command, session: CliSession): void {
  const audit = program.command('audit').description('read and prune the audit log: tokens issued and refused, and every change');

  audit
    .command('list')
    .description('list audit events, newest first, one page at a time')
    .option('--action <action>', 'only this action, e.g. token.refused')
    .option('--action-prefix <prefix>', 'only actions starting with this, e.g. token. or client_secret.')
    .option('--outcome <outcome>', 'success or failure')
    .option('--client <client_id>', 'only events whose actor is this client')
    .option('--org <organization_id>', 'only events concerning this organization')
    .option('--target-type <type>', 'only events about this kind of thing, e.g. client')
    .option('--target-id <id>', 'only events about the thing with this ID')
    .option('--since <date-time>', 'only events at or after this RFC 3339 instant')
    .option('--until <date-time>', 'only events before this RFC 3339 instant')
    .option('--limit <n>', 'page size, 1 to 200 (default: 50)')
    .option('--cursor <cursor>', 'the cursor printed with the previous page (with the same filters)')
    .action(async (options: ListOptions) => {
      const query = await validated(
        AuditEventsQueryDto,
        {
          action: options.action,
          action_prefix: options.actionPrefix,
          outcome: options.outcome,
          client_id: options.client,
          organization_id: options.org,
          target_type: options.targetType,
          target_id: options.targetId,
          since: options.since,
          until: options.until,
          limit: options.limit,
          cursor: options.cursor,
        },
        'query',
      );
      const filter = toAuditEventFilter(query);
      const page = await session.withServices((app) => app.get(AuditEventsQuery).list(filter, query.limit, query.cursor));
      const response = { data: page.data.map(toAuditEventResponse), next_cursor: page.nextCursor };
      session.output().page(response, AUDIT_COLUMNS, nextPageCommand(options, query.limit));
    });

  audit
    .command('prune')
    .description('delete audit events older than AUDIT_RETENTION_DAYS now (the server also does this every hour)')
    .action(async () => {
      const result = await session.withServices((app) => app.get(AuditRetention).prune());
      const output = session.output();
      output.record({ deleted: result.deleted, before: result.cutoff.toISOString() });
    });
}

/** The command that reads the next page: the same filters, since the cursor is bound to them. */
function nextPageCommand(options: ListOptions, limit: number): string {
  const flags: [string, string | undefined][] = [
    ['--action', options.action],
    ['--action-prefix', options.actionPrefix],
    ['--outcome', options.outcome],
    ['--client', options.client],
    ['--org', options.org],
    ['--target-type', options.targetType],
    ['--target-id', options.targetId],
    ['--since', options.since],
    ['--until', options.until],
    ['--limit', String(limit)],
  ];
  return ['orgsync audit list', ...flags.filter(([, value]) => value !== undefined).map(([flag, value]) => `${flag} ${value}`)].join(' ');
}
