// Every command of the CLI, in the order --help lists them, each loaded only when it is needed: a command
// module imports the whole of its core (schemas, the chunk codec, the TSD client...), and a run of one
// command should not pay for the other seventeen (issue 12: --version and a no-op incremental under 0.3 s).

import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';

export type MakeCommand = (io: CliIo, done: (code: number) => void) => Command;
/** How a command runs the CLI again (schedule runs its jobs in-process). */
export type RunCli = (argv: string[], io: CliIo) => Promise<number>;

export interface CommandEntry {
  name: string;
  load: (runCli: RunCli) => Promise<MakeCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'init', load: async () => (await import('./commands/init.js')).initCommand },
  { name: 'key', load: async () => (await import('./commands/key.js')).keyCommand },
  { name: 'full', load: async () => (await import('./commands/backup-commands.js')).backupCommand('full') },
  { name: 'incremental', load: async () => (await import('./commands/backup-commands.js')).backupCommand('incremental') },
  { name: 'list', load: async () => (await import('./commands/list.js')).listCommand },
  { name: 'show', load: async () => (await import('./commands/show.js')).showCommand },
  { name: 'diff', load: async () => (await import('./commands/diff.js')).diffCommand },
  { name: 'compare', load: async () => (await import('./commands/compare.js')).compareCommand },
  { name: 'verify', load: async () => (await import('./commands/verify.js')).verifyCommand },
  { name: 'restore', load: async () => (await import('./commands/restore.js')).restoreCommand },
  { name: 'export', load: async () => (await import('./commands/export.js')).exportCommand },
  { name: 'prune', load: async () => (await import('./commands/prune.js')).pruneCommand },
  {
    name: 'schedule',
    load: async (runCli) => {
      const { scheduleCommand } = await import('./commands/schedule.js');
      return (io, done) => scheduleCommand(io, done, runCli);
    },
  },
  { name: 'unlock', load: async () => (await import('./commands/unlock.js')).unlockCommand },
  { name: 'replicate', load: async () => (await import('./commands/replicate.js')).replicateCommand },
  { name: 'failover', load: async () => (await import('./commands/switch.js')).switchCommand('failover') },
  { name: 'failback', load: async () => (await import('./commands/switch.js')).switchCommand('failback') },
  { name: 'health', load: async () => (await import('./commands/health.js')).healthCommand },
];

/**
 * The commands a run needs: the one it names, none for a bare --version, else all of them (--help, `help`,
 * a mistyped command that commander answers with a suggestion).
 */
export function commandsFor(argv: readonly string[]): readonly CommandEntry[] {
  const named = COMMANDS.find((c) => c.name === argv[0]);
  if (named) return [named];
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return [];
  return COMMANDS;
}
