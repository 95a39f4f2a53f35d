import { Command } from 'commander';
import { EXIT_OK, reportError } from './cli-errors.js';
import { type CliSettings, CliSession, DEFAULT_FOLLOW_TIMINGS } from './cli-session.js';
import { registerDoctorCommand } from './commands/doctor.command.js';
import { registerAuditCommands } from './commands/audit.commands.js';
import { registerClientCommands } from './commands/clients.commands.js';
import { registerKeyCommands } from './commands/keys.commands.js';
import { registerOrganizationCommands } from './commands/organizations.commands.js';
import { registerSyncCommands } from './commands/sync.commands.js';
import type { CliIo } from './output.js';

const EPILOG = `
Configuration comes from the same environment variables as the server
(DATABASE_URL, SECRETS_KEY, SIGNING_ALG, ...); point both at the same database
and secrets key.

Exit status: 0 on success, 1 when the operation failed (not found, bad
configuration, database error, a failed sync run, a failed doctor check),
2 for a usage or validation error.`;

/**
 * Runs one orgsync command and returns its exit code. Everything is written
 * through `io` and nothing exits the process, so tests can run it in-process.
 */
export async function runCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: CliIo,
  settings: Partial<CliSettings> = {},
): Promise<number> {
  const program = buildProgram(env, io, { cwd: process.cwd(), follow: DEFAULT_FOLLOW_TIMINGS, interrupts: process, ...settings });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    return reportError(error, io);
  }
}

/** The whole command tree; exported so a test can walk every command's help. */
export function buildProgram(env: Record<string, string | undefined>, io: CliIo, settings: CliSettings): Command {
  const program = new Command('orgsync')
    .description(
      'Administer orgsync from the command line: organizations, OAuth clients, signing keys, sync connections and runs, the audit log; check an installation with doctor.',
    )
    .option('--json', "print the HTTP API's JSON instead of text")
    .addHelpText('after', EPILOG)
    .showHelpAfterError('(add --help for usage)')
    // Settings subcommands inherit, so they are set before any command is added.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  const session = new CliSession(env, io, () => program.opts<{ json?: boolean }>().json === true, settings);
  registerOrganizationCommands(program, session);
  registerClientCommands(program, session);
  registerKeyCommands(program, session);
  registerSyncCommands(program, session);
  registerAuditCommands(program, session);
  registerDoctorCommand(program, session);
  return program;
}
