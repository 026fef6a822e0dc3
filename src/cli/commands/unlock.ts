// tsdb-backup unlock: show the repository's locks and remove the stale ones (all of them with --remove-all).

import { Command } from 'commander';
import { readConfig } from '../../repository/repository-config.js';
import { unlock } from '../../repository/unlock.js';
import type { CliIo } from '../cli-io.js';
import { addRepositoryOptions, openRepositoryStorage, repositoryPassword, type RepositoryOptionValues } from '../repository-options.js';

export function unlockCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('unlock')
    .description('remove stale locks (their process is gone, or not refreshed for 15 minutes); with --remove-all, every lock')
    .option('--remove-all', 'also remove live locks: only when you know their runs are dead (e.g. a host that crashed)')
    .option('--dry-run', 'show what would be removed')
    .option('--json', 'print the locks and what was done as JSON on stdout');
  return addRepositoryOptions(cmd).action(async (o: RepositoryOptionValues & { removeAll?: boolean; dryRun?: boolean; json?: boolean }) => {
    const storage = openRepositoryStorage(o, io);
    // Locks are never encrypted: unlocking needs no password, only a repository.
    await readConfig(storage, { signal: io.signal });
    const verdicts = await unlock(storage, { removeAll: o.removeAll, dryRun: o.dryRun, now: io.now, signal: io.signal });
    if (o.json) io.stdout(`${JSON.stringify({ repository: storage.toString(), dryRun: Boolean(o.dryRun), locks: verdicts }, null, 2)}\n`);
    else {
      for (const v of verdicts) {
        const what = `${v.lock.kind} lock of '${v.lock.command}' (pid ${v.lock.pid} on ${v.lock.host}, since ${v.lock.createdAt})`;
        const action = v.removed ? (o.dryRun ? 'would remove' : 'removed') : 'kept';
        io.stderr(`${action} ${what}: ${v.reason}\n`);
      }
      const removed = verdicts.filter((v) => v.removed).length;
      io.stderr(`${storage}: ${verdicts.length} lock(s), ${removed} ${o.dryRun ? 'would be ' : ''}removed\n`);
    }
    done(0);
  });
}
