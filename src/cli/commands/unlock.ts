// tsdb-backup unlock: show the repository's locks and remove the stale ones (all of them with --remove-all).

import { Command } from 'commander';
import { readConfig } from '../../repository/repository-config.js';
import { unlock } from '../../repository/unlock.js';
import type { CliIo } from '../cli-io.js';
import { jsonLine, jsonSummary } from '../json-lines.js';
import { addRepositoryOptions, openRepositoryStorage, repositoryPassword, type RepositoryOptionValues } from '../repository-options.js';

export function unlockCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('unlock')
    .description('remove stale locks (their process is gone, or not refreshed for 15 minutes); with --remove-all, every lock')
    .option('--remove-all', 'also remove live locks: only when you know their runs are dead (e.g. a host that crashed)')
    .option('--dry-run', 'show what would be removed')
    .option('--json', 'print JSON lines on stdout: one per lock with its action, then a summary (docs/JSON.md)')
    .option('--quiet', 'print nothing on success (for cron); errors still go to stderr');
  return addRepositoryOptions(cmd).action(async (o: RepositoryOptionValues & { removeAll?: boolean; dryRun?: boolean; json?: boolean; quiet?: boolean }) => {
    const storage = openRepositoryStorage(o, io);
    // Locks are never encrypted: unlocking needs no password, only a repository.
    await readConfig(storage, { signal: io.signal });
    const verdicts = await unlock(storage, { removeAll: o.removeAll, dryRun: o.dryRun, now: io.now, signal: io.signal });
    const actionOf = (v: (typeof verdicts)[number]): 'removed' | 'wouldRemove' | 'kept' => (v.removed ? (o.dryRun ? 'wouldRemove' : 'removed') : 'kept');
    if (o.json) {
      for (const v of verdicts) {
        const { id, ...lock } = v.lock;
        jsonLine(io, 'lock', { lockId: id, key: v.key, ...lock, action: actionOf(v), reason: v.reason });
      }
      const count = (a: string): number => verdicts.filter((v) => actionOf(v) === a).length;
      jsonSummary(io, 'unlock', {
        repository: storage.toString(),
        dryRun: Boolean(o.dryRun),
        locks: verdicts.length,
        removed: count('removed'),
        wouldRemove: count('wouldRemove'),
        kept: count('kept'),
      });
    } else if (!o.quiet) {
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
