import type { Command } from 'commander';
import { CommandFailed } from '../cli-errors.js';
import type { CliSession } from '../cli-session.js';
import type { CheckResult } from '../doctor/doctor-check.js';
import { runDoctor } from '../doctor/doctor.js';
import type { Column } from '../output.js';

const CHECK_COLUMNS: readonly Column<CheckResult>[] = [
  { header: 'CHECK', value: (result) => result.check },
  { header: 'STATUS', value: (result) => result.status },
  { header: 'DETAIL', value: (result) => result.detail },
];

/** `orgsync doctor`: is this installation fit to run, and if not, what to fix. */
export function registerDoctorCommand(program: Command, session: CliSession): void {
  program
    .command('doctor')
    .description('check configuration, database, migrations, keys and clock, and say what is wrong; changes nothing')
    .addHelpText(
      'after',
      `
Checks: configuration, issuer, secrets key, data directory (SQLite or a
generated key), database, migrations, secrets key fingerprint, signing key,
clock (PostgreSQL), bootstrap admin. Unlike every other command, doctor
applies no migration and writes nothing.

Exit status: 0 when no check failed (warnings allowed), 1 when one did.`,
    )
    .action(async () => {
      const results = await runDoctor(() => session.config());
      session.output().list(results, CHECK_COLUMNS);
      if (results.some((result) => result.status === 'fail')) throw new CommandFailed();
    });
}
