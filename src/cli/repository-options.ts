// Options every command that opens a repository shares.

import type { Command } from 'commander';

export interface RepositoryOptionValues {
  repo: string;
  waitLock?: string;
  statusFile?: string;
}

export function addRepositoryOptions(cmd: Command, what: { lock?: boolean; status?: boolean } = {}): Command {
  cmd.requiredOption('--repo <path>', 'repository directory (created by the first backup)');
  if (what.lock) cmd.option('--wait-lock <duration>', 'wait up to this long for another run to release the repository lock (default: fail at once)');
  if (what.status) cmd.option('--status-file <path>', 'write the outcome of this run for monitoring: JSON, or Prometheus text format if the name ends in .prom');
  return cmd;
}
