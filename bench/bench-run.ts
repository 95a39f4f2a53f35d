import type { LoadOptions } from './load/autocannon-run.js';
import type { PairedLoadOptions } from './load/paired-run.js';
import type { BenchOptions } from './options.js';
import type { Failure, LoadRow, SoakResult, StartupResult, SyncResult } from './results.js';
import { nestFloorRows } from './scenarios/nest-floor-rows.js';
import { listRows, type OrgsyncSession, readRow, tokenRow } from './scenarios/orgsync-rows.js';
import { pairedTokenRows } from './scenarios/paired-token-rows.js';
import { bareHttpRow, oidcProviderRow } from './scenarios/reference-rows.js';
import { runSoak } from './scenarios/soak.js';
import { measureStartup } from './scenarios/startup.js';
import { runSyncBenchmark } from './scenarios/sync.js';
import { type BenchDatabase, freshPostgresDatabase, sqliteDatabase } from './servers/bench-database.js';
import { startBenchOrgsync } from './servers/orgsync-server.js';
import { provision } from './seed.js';

/** The scenarios measured against one provisioned orgsync. */
const LOAD_SCENARIOS = ['token', 'read', 'list'] as const;

/**
 * One harness run: the scenarios in a fixed order (references, start-up,
 * then per database the load rows, the soak on SQLite, the sync). With both
 * `reference` and `token`, node-oidc-provider is not measured on its own but
 * on each database alongside orgsync, in alternating slices with the token
 * row (see paired-token-rows.ts), so their ratio holds on a noisy machine. A scenario
 * that fails is recorded and the rest still run, so an hour of measurements
 * is not lost to one broken step; the run then ends with a failure.
 */
export class BenchRun {
  readonly load: LoadRow[] = [];
  readonly sync: SyncResult[] = [];
  readonly failures: Failure[] = [];
  startup: StartupResult | null = null;
  soak: SoakResult | null = null;
  private readonly loadOptions: LoadOptions;
  /** The token row and oidc-provider's are measured together, in alternating slices. */
  private readonly paired: boolean;

  constructor(
    readonly options: BenchOptions,
    /** A temporary directory for databases and the servers' logs. */
    readonly dir: string,
    private readonly progress: (line: string) => void,
  ) {
    this.loadOptions = { connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds };
    this.paired = options.scenarios.has('reference') && options.scenarios.has('token');
  }

  async runAll(): Promise<void> {
    const { scenarios } = this.options;
    if (scenarios.has('reference')) {
      await this.step('reference: node:http', async () => void this.load.push(await bareHttpRow(this.dir, this.loadOptions)));
      await this.step('reference: NestJS floor', async () => void this.load.push(...(await nestFloorRows(this.dir, this.loadOptions))));
      if (!this.paired) {
        await this.step('reference: oidc-provider', async () => void this.load.push(await oidcProviderRow(this.dir, this.loadOptions)));
      }
    }
    if (scenarios.has('startup')) await this.step('start-up on SQLite', async () => void (this.startup = await measureStartup(this.dir)));
    for (const kind of this.options.postgresUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)) {
      const wantsRows = LOAD_SCENARIOS.some((scenario) => scenarios.has(scenario)) || (this.options.soak && kind === 'sqlite');
      if (wantsRows)
        await this.step(`orgsync on ${label(kind)}`, () => this.withDatabase(kind, 'load', (database) => this.orgsyncRows(database)));
      if (scenarios.has('sync')) {
        const { syncUsers: users, syncGroups: groups } = this.options.sizes;
        await this.step(`sync on ${label(kind)}: ${users} users, ${groups} groups`, () =>
          this.withDatabase(
            kind,
            'sync',
            async (database) => void this.sync.push(await runSyncBenchmark({ database, dir: this.dir, users, groups })),
          ),
        );
      }
    }
  }

  /** The token, read and list rows and (on SQLite) the soak, against one provisioned orgsync. */
  private async orgsyncRows(database: BenchDatabase): Promise<void> {
    const { scenarios, sizes } = this.options;
    const soak = this.options.soak && database.kind === 'sqlite';
    const orgsync = await startBenchOrgsync({ database, dir: this.dir, logName: `orgsync-${database.kind}.log` });
    try {
      const bigMembers = scenarios.has('list') ? sizes.bigMembers : 0;
      this.progress(`seeding ${database.label}: ${sizes.smallMembers} members through the API, ${bigMembers} in bulk`);
      const fixture = await provision(orgsync, database.url, { smallMembers: sizes.smallMembers, bigMembers });
      if (bigMembers > 0) this.progress(`seeded ${bigMembers} members in bulk in ${fixture.big.seedSeconds.toFixed(1)} s`);
      const session: OrgsyncSession = { orgsync, fixture, database: database.label };
      const rows: LoadRow[] = [];
      const measure = async (name: string, work: () => Promise<LoadRow[]>): Promise<void> =>
        this.step(`${name} on ${database.label}`, async () => void rows.push(...(await work())));
      // The soak runs at a share of the token and read capacity, so it measures them first.
      if (this.paired) {
        const paired: PairedLoadOptions = { ...this.loadOptions, rounds: this.options.rounds };
        await measure('token alternating with oidc-provider', () => pairedTokenRows(session, this.dir, paired));
      } else if (scenarios.has('token') || soak) await measure('token', async () => [await tokenRow(session, this.loadOptions)]);
      if (scenarios.has('read') || soak) await measure('read', async () => [await readRow(session, this.loadOptions)]);
      if (scenarios.has('list')) {
        await measure('list', () => listRows(session, this.loadOptions, { small: sizes.smallMembers, big: sizes.bigMembers }));
      }
      this.load.push(...rows);
      if (soak) {
        await this.step(`soak on ${database.label}: ${this.options.soakSeconds} s`, async () => {
          this.soak = await runSoak(session, rows, {
            seconds: this.options.soakSeconds,
            connections: this.options.connections,
            syncUsers: sizes.soakSyncUsers,
            dir: this.dir,
          });
        });
      }
    } finally {
      await orgsync.stop();
    }
  }

  /** A new, empty database for one orgsync (a SQLite file of its own, or a PostgreSQL database), dropped after. */
  private async withDatabase(kind: BenchDatabase['kind'], name: string, work: (database: BenchDatabase) => Promise<void>): Promise<void> {
    const database = kind === 'postgres' ? await freshPostgresDatabase(this.options.postgresUrl!) : sqliteDatabase(this.dir, name);
    try {
      await work(database);
    } finally {
      await database.drop();
    }
  }

  private async step(name: string, work: () => Promise<void>): Promise<void> {
    this.progress(name);
    try {
      await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.failures.push({ scenario: name, error: message.slice(0, 4_000) });
      this.progress(`${name} FAILED: ${message}`);
    }
  }
}

function label(kind: BenchDatabase['kind']): string {
  return kind === 'postgres' ? 'PostgreSQL' : 'SQLite';
}
