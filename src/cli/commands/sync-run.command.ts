import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { SyncTriggerService } from '../../sync/engine/sync-trigger.service.js';
import { type SyncRunResponse, toSyncRunResponse } from '../../sync/runs/dto/sync-run.response.js';
import { SyncRunsQueryService } from '../../sync/runs/sync-runs-query.service.js';
import { SyncRunsRepository } from '../../sync/runs/sync-runs.repository.js';
import { CommandFailed, EXIT_FAILURE } from '../cli-errors.js';
import type { CliSession } from '../cli-session.js';
import { LiveLine, PlainLines, type ProgressDisplay } from '../follow/progress-display.js';
import { followRun } from '../follow/run-follower.js';
import { durationSeconds } from '../follow/run-progress.js';
import type { Column, Output } from '../output.js';

/** The conventional status of a command stopped by Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

interface RunOptions {
  follow?: true;
  full?: true;
}

/** `orgsync sync run`: what POST /admin/sync-connections/:id/runs does, optionally watched to its end. */
export function registerSyncRunCommand(sync: Command, session: CliSession): void {
  sync
    .command('run')
    .description(
      'queue a run of a sync connection now, as POST /admin/sync-connections/:id/runs does; a server with SYNC_ENABLED=true runs it',
    )
    .argument('<connection_id>', 'sync connection id')
    .option('--follow', 'watch the run until it ends, with its progress, then print its summary; exit 1 if it failed')
    .option('--full', 'make the run a full listing (the only kind that sees deletions) instead of the scheduled kind')
    .addHelpText(
      'after',
      `
With --follow, a terminal shows a live status line (status, pages, records
fetched and written, records/s); a pipe or CI log gets a plain line every few
seconds. With --json, only the finished run's JSON is printed. Ctrl-C stops
following; the run goes on (orgsync sync runs show <run_id>).

Exit status with --follow: 0 when the run succeeded, 1 when it failed,
130 when following was interrupted.`,
    )
    .action((connectionId: string, options: RunOptions) =>
      session.withServices(async (app) => {
        const run = await queue(app, session, connectionId, options.full === true);
        if (options.follow) return follow(app, session, run);
        const output = session.output();
        output.record(output.json ? run : summaryFields(run));
        output.note(`Queued. Follow it with: orgsync sync run ${connectionId} --follow, or orgsync sync runs show ${run.id}`);
      }),
    );
}

async function queue(app: INestApplicationContext, session: CliSession, connectionId: string, full: boolean): Promise<SyncRunResponse> {
  const run = await app.get(SyncTriggerService).requestRun(connectionId);
  // Between the two, a worker may already have started the run with the mode it chose; say so rather than pretend.
  if (full && !(await app.get(SyncRunsRepository).requestFull(run.id))) {
    session.output().note('The run had already started before it could be made full; it runs with the mode its worker chose.');
  }
  return toSyncRunResponse(await app.get(SyncRunsQueryService).get(run.id));
}

async function follow(app: INestApplicationContext, session: CliSession, queued: SyncRunResponse): Promise<void> {
  const output = session.output();
  if (!output.json) output.note(`Following sync run ${queued.id} (Ctrl-C stops following; the run goes on).`);
  const read = async () => toSyncRunResponse(await app.get(SyncRunsQueryService).get(queued.id));
  const { run, interrupted } = await followRun(read, displayFor(session, queued.id), session.settings);
  if (interrupted) {
    output.note(`Stopped following. Sync run ${run.id} goes on; see it with: orgsync sync runs show ${run.id}`);
    throw new CommandFailed(EXIT_INTERRUPTED);
  }
  if (output.json) output.record(run);
  else printSummary(output, run);
  if (run.status === 'failed') {
    session.io.stderr.write(`error: sync run ${run.id} failed: ${run.error ?? 'no reason was recorded'}\n`);
    throw new CommandFailed(EXIT_FAILURE);
  }
}

/** Nothing while following for a script (--json); a live line on a terminal; plain lines elsewhere. */
function displayFor(session: CliSession, runId: string): ProgressDisplay {
  const stderr = session.io.stderr;
  if (session.output().json) return { update: () => undefined, message: (text) => stderr.write(`${text}\n`), end: () => undefined };
  return stderr.isTTY ? new LiveLine(stderr) : new PlainLines(stderr, runId, session.settings.follow.plainLineEveryMs);
}

interface StreamRow {
  stream: string;
  counts: SyncRunResponse['stats']['members'];
}

const STREAM_COLUMNS: readonly Column<StreamRow>[] = [
  { header: 'STREAM', value: (row) => row.stream },
  { header: 'FETCHED', value: (row) => row.counts.fetched },
  { header: 'CREATED', value: (row) => row.counts.created },
  { header: 'UPDATED', value: (row) => row.counts.updated },
  { header: 'DELETED', value: (row) => row.counts.deleted },
  { header: 'UNCHANGED', value: (row) => row.counts.unchanged },
];

/** `Sync run … succeeded: full, 2.4 s, 12 pages, 1200 records fetched (500 records/s).` and a table per stream. */
function printSummary(output: Output, run: SyncRunResponse): void {
  const seconds = durationSeconds(run);
  const fetched = run.stats.members.fetched + run.stats.groups.fetched;
  const rate = seconds !== undefined && seconds > 0 ? ` (${Math.round(fetched / seconds)} records/s)` : '';
  const took = seconds === undefined ? '' : `, ${seconds.toFixed(1)} s`;
  output.done(
    `Sync run ${run.id} ${run.status}: ${run.mode ?? 'not started'}${took}, ${run.pages} pages, ${fetched} records fetched${rate}.`,
  );
  output.rows(
    [
      { stream: 'members', counts: run.stats.members },
      { stream: 'groups', counts: run.stats.groups },
    ],
    STREAM_COLUMNS,
  );
}

/** The queued run for people: its identity and state, without the zero counts. */
function summaryFields(run: SyncRunResponse): Record<string, unknown> {
  return Object.fromEntries(Object.entries(run).filter(([key]) => key !== 'stats'));
}
