import { CommanderError } from 'commander';
import { DomainError, DomainErrorCode } from '../common/errors/domain-error.js';
import { ConfigurationError } from '../config/environment.js';
import type { CliIo } from './output.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The invocation itself is wrong (as opposed to the operation failing). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The API names fields as RFC 7591 does; the CLI user typed flags. Field
 * errors name both, so the message points at what to change on the command line.
 */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  name: '--name',
  platform: '--platform',
  client_name: '--name',
  scope: '--scope',
  default_scope: '--default-scope',
  token_endpoint_auth_method: '--auth-method',
  access_token_ttl: '--access-token-ttl',
  jwks: '--jwks-file',
  jwks_uri: '--jwks-uri',
  status: '--status',
  grace_period_seconds: '--grace-period',
  expires_in: '--expires-in',
  limit: '--limit',
  cursor: '--cursor',
};

/**
 * The command has already said what went wrong (a failed doctor check, a
 * failed sync run) and only the exit code is left to set.
 */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
  constructor(readonly exitCode: number = EXIT_FAILURE) {
    super('The command failed.');
  }
}

/** Prints an error for people (never a stack trace) and returns the exit code. */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its help or message.
    return error.exitCode === EXIT_OK ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof CommandFailed) return error.exitCode;
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof DomainError) {
    io.stderr.write(`error: ${error.message}\n${error.fieldErrors.map((e) => `  ${describeField(e.field)}: ${e.message}\n`).join('')}`);
    return error.code === DomainErrorCode.Validation ? EXIT_USAGE : EXIT_FAILURE;
  }
  if (error instanceof ConfigurationError) {
    io.stderr.write(`${error.message}\n`);
    return EXIT_FAILURE;
  }
  io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_FAILURE;
}

function describeField(field: string): string {
  const flag = FLAG_OF_FIELD[field];
  if (flag === undefined) return field;
  return flag === `--${field}` ? flag : `${flag} (${field})`;
}
