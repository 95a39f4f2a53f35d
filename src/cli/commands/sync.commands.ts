import type { Command } from 'commander';
import type { CliSession } from '../cli-session.js';
import { registerSyncConnectionChangeCommands } from './sync-connection-changes.commands.js';
import { registerSyncConnectionCommands } from './sync-connections.commands.js';
import { registerSyncRunCommand } from './sync-run.command.js';
import { registerSyncRunCommands } from './sync-runs.commands.js';

/** `orgsync sync ...`: sync connections (/admin/.../sync-connections), manual runs and their history. */
export function registerSyncCommands(program: Command, session: CliSession): void {
  const sync = program.command('sync').description("manage the connections organizations' people and groups are synced from, and run them");
  const connections = sync.command('connections').description('create, list, show, change and delete sync connections');
  registerSyncConnectionCommands(connections, session);
  registerSyncConnectionChangeCommands(connections, session);
  registerSyncRunCommand(sync, session);
  registerSyncRunCommands(sync.command('runs').description("list and show a sync connection's runs"), session);
}
