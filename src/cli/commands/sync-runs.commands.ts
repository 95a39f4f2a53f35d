import type { Command } from 'commander';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import type { StreamCounts } from '../../sync/runs/sync-run.entity.js';
import { type SyncRunResponse, toSyncRunResponse } from '../../sync/runs/dto/sync-run.response.js';
import { SyncRunsQueryService } from '../../sync/runs/sync-runs-query.service.js';
import { validated } from '../cli-input.js';
import type { CliSession } from '../cli-session.js';
import type { Column } from '../output.js';

/** Created, updated and deleted, the counts an operator scans for. */
const changes = (counts: StreamCounts) => `+${counts.created} ~${counts.updated} -${counts.deleted}`;

const RUN_COLUMNS: readonly Column<SyncRunResponse>[] = [
  { header: 'ID', value: (run) => run.id },
  { header: 'STATUS', value: (run) => run.status },
  { header: 'TRIGGER', value: (run) => run.trigger },
  { header: 'MODE', value: (run) => run.mode },
  { header: 'QUEUED_AT', value: (run) => run.queued_at },
  { header: 'FINISHED_AT', value: (run) => run.finished_at },
  { header: 'MEMBERS', value: (run) => changes(run.stats.members) },
  { header: 'GROUPS', value: (run) => changes(run.stats.groups) },
];

/** `orgsync sync runs list|show`: the admin API's run history. */
export function registerSyncRunCommands(runs: Command, session: CliSession): void {
  runs
    .command('list')
    .description("list a sync connection's runs, newest first, one page at a time")
    .argument('<connection_id>', 'sync connection id')
    .option('--limit <n>', 'page size, 1 to 200 (default: 50)')
    .option('--cursor <cursor>', 'the cursor printed with the previous page')
    .action(async (connectionId: string, options: { limit?: string; cursor?: string }) => {
      const query = await validated(PageQueryDto, { limit: options.limit, cursor: options.cursor }, 'query');
      const page = await session.withServices((app) =>
        app.get(SyncRunsQueryService).listByConnection(connectionId, query.limit, query.cursor),
      );
      const response = { data: page.data.map(toSyncRunResponse), next_cursor: page.nextCursor };
      session.output().page(response, RUN_COLUMNS, `orgsync sync runs list ${connectionId} --limit ${query.limit}`);
    });

  runs
    .command('show')
    .description('print one sync run, with what it fetched, created, updated and deleted')
    .argument('<run_id>', 'sync run id')
    .action(async (id: string) => {
      const run = toSyncRunResponse(await session.withServices((app) => app.get(SyncRunsQueryService).get(id)));
      const output = session.output();
      const { stats, ...fields } = run;
      output.record(output.json ? run : { ...fields, members: describe(stats.members), groups: describe(stats.groups) });
    });
}

function describe(counts: StreamCounts): string {
  return Object.entries(counts)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}
