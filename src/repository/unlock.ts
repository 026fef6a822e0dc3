// Removing locks by hand, as `restic unlock` does: stale locks always, live ones only when asked.
// A lock on another host whose run died stays "live" until it ages out; an operator who knows the run
// is gone removes it with removeAll instead of waiting.

import type { Storage } from '../storage/storage.js';
import { listLocks, staleReason, stalenessContext, type LockInfo, type LockOptions } from './lock.js';

export interface LockVerdict {
  key: string;
  lock: LockInfo;
  removed: boolean;
  /** Why it was removed, or why it was kept. */
  reason: string;
}

export interface UnlockOptions extends Pick<LockOptions, 'host' | 'pid' | 'now' | 'staleAfterMs' | 'isProcessAlive'> {
  /** Remove live locks too. */
  removeAll?: boolean;
  dryRun?: boolean;
  signal?: AbortSignal;
}

export async function unlock(storage: Storage, opts: UnlockOptions = {}): Promise<LockVerdict[]> {
  const context = stalenessContext(opts);
  const verdicts: LockVerdict[] = [];
  for (const { key, info } of await listLocks(storage, opts.signal)) {
    const stale = staleReason(info, context);
    const remove = stale !== undefined || Boolean(opts.removeAll);
    if (remove && !opts.dryRun) await storage.delete(key, { signal: opts.signal });
    verdicts.push({
      key,
      lock: info,
      removed: remove,
      reason: stale ?? (opts.removeAll ? 'removed as asked (--remove-all)' : 'live: its run may still be going'),
    });
  }
  return verdicts;
}
