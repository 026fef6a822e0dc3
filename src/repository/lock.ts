// The repository lock. Prune (and key changes) take an exclusive lock; restore and verify a shared one,
// so prune can never delete chunks a restore is reading. Backups take an "append" lock: it conflicts
// only with exclusive locks, so many backups (the shards of a set, on many machines) write into one
// repository at once. That is safe because chunks are content-addressed (two writers of one chunk write
// the same bytes) and each backup's manifest, or shard record, is its own object written last; only
// prune deletes, and it waits for every append lock.
//
// Every run writes its own lock file, locks/<kind>-<random id>.json, then lists locks/. If it finds
// a live lock it conflicts with (any other lock for an exclusive run, another exclusive lock for a
// shared or append run), it deletes its own file and backs off. Of two conflicting runs, the one that lists
// second always sees the other's file, because each wrote before it listed: at most one proceeds.
// This needs no conditional writes, only what every S3 store and filesystem give: a listing shows
// every object whose write completed before it began (see "Locking" in the README).
//
// A holder rewrites its lock file every minute. A lock is stale when its process is gone (same host)
// or it has not been refreshed for `staleAfterMs`; a stale lock is removed and does not conflict.

import { processAlive } from '../os/process-alive.js';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import * as v from '../validation/schema.js';
import { NotFoundError, StorageError, TsdbBackupError } from '../errors.js';
import { sleep as defaultSleep } from '../retry.js';
import type { Storage } from '../storage/storage.js';

export const LOCKS_PREFIX = 'locks/';

const lockSchema = v.object({
  id: v.string(),
  kind: v.enumOf(['exclusive', 'shared', 'append']),
  command: v.string(),
  host: v.string(),
  pid: v.number().int(),
  createdAt: v.string(),
  refreshedAt: v.string(),
});
export type LockInfo = v.Infer<typeof lockSchema>;
export type LockKind = LockInfo['kind'];

export class LockedError extends TsdbBackupError {
  constructor(
    where: string,
    readonly holder: LockInfo,
  ) {
    super('LOCKED', `${where} is locked by '${holder.command}' (pid ${holder.pid} on ${holder.host}, since ${holder.createdAt}, ${holder.kind})`, {
      hint: "wait for the other run or use --wait-lock 10m; if that run is dead, 'tsdb-backup unlock' removes its lock (--remove-all when it ran on another host)",
    });
  }
}

/** The lock this run held is gone: another run judged it stale and removed it, or it could not be refreshed. */
export class LockLostError extends TsdbBackupError {
  constructor(where: string, why: string) {
    super('LOCKED', `lost the lock on ${where}: ${why}; stopped`, {
      hint: 'another run may have taken over the repository; check `tsdb-backup unlock` and the storage, then run again',
    });
  }
}

export interface LockOptions {
  kind: LockKind;
  command: string;
  /** How long to keep trying while another run holds the lock (0 = fail at once). */
  waitMs?: number;
  staleAfterMs?: number;
  refreshEveryMs?: number;
  now?: () => Date;
  host?: string;
  pid?: number;
  isProcessAlive?: (pid: number) => boolean;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told when something goes wrong that does not fail the run (a lock file that could not be removed). */
  warn?: (message: string) => void;
  /** Told before each wait for a lock another run holds (with waitMs), so that a waiting run does not look hung. */
  waiting?: (holder: LockInfo, waitedMs: number) => void;
  /** A number in [0, 1) that spreads back-off delays, so that two runs that collided do not again. */
  random?: () => number;
  signal?: AbortSignal;
}

/** What decides whether someone else's lock is stale, seen from this process. */
export interface StalenessContext {
  host: string;
  pid: number;
  now: number;
  staleAfterMs: number;
  isProcessAlive: (pid: number) => boolean;
}

export const DEFAULT_STALE_AFTER_MS = 15 * 60_000;

/** Why a lock is stale (its process is gone, or it has not been refreshed for too long), or undefined while it is live. */
export function staleReason(l: LockInfo, c: StalenessContext): string | undefined {
  if (l.host === c.host && l.pid > 0 && l.pid !== c.pid && !c.isProcessAlive(l.pid)) return `process ${l.pid} is gone`;
  const refreshed = Date.parse(l.refreshedAt);
  if (Number.isFinite(refreshed) && c.now - refreshed > c.staleAfterMs) return `not refreshed since ${l.refreshedAt}`;
  return undefined;
}

export function stalenessContext(opts: Pick<LockOptions, 'host' | 'pid' | 'now' | 'staleAfterMs' | 'isProcessAlive'>): StalenessContext {
  return {
    host: opts.host ?? hostname(),
    pid: opts.pid ?? process.pid,
    now: (opts.now ?? (() => new Date()))().getTime(),
    staleAfterMs: opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
    isProcessAlive: opts.isProcessAlive ?? processAlive,
  };
}

export interface HeldLock {
  info: LockInfo;
  /** Aborted (with a LockLostError) when the lock is found removed or cannot be refreshed in time. */
  signal: AbortSignal;
  /** Proves the lock is still ours (its file is there, refreshes are on time): call before committing. */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

export function lockKey(kind: LockKind, id: string): string {
  return `${LOCKS_PREFIX}${kind}-${id}.json`;
}

// A lock file that cannot be read is held by someone unknown and never stale: an operator decides.
function unreadable(key: string): LockInfo {
  return { id: key, kind: 'exclusive', command: `unknown (unreadable lock file ${key})`, host: '?', pid: -1, createdAt: '?', refreshedAt: '?' };
}

async function readLock(storage: Storage, key: string, signal?: AbortSignal): Promise<LockInfo | undefined> {
  let raw: Uint8Array;
  try {
    raw = await storage.get(key, { signal });
  } catch (err) {
    if (err instanceof NotFoundError) return undefined; // released between the listing and the read
    throw err;
  }
  try {
    const parsed = lockSchema.safeParse(JSON.parse(Buffer.from(raw).toString('utf8')));
    return parsed.success ? parsed.data : unreadable(key);
  } catch {
    return unreadable(key);
  }
}

/** Every lock file in the repository, as written by its holder. */
export async function listLocks(storage: Storage, signal?: AbortSignal): Promise<Array<{ key: string; info: LockInfo }>> {
  const out: Array<{ key: string; info: LockInfo }> = [];
  for await (const o of storage.list(LOCKS_PREFIX, { signal })) {
    const info = await readLock(storage, o.key, signal);
    if (info) out.push({ key: o.key, info });
  }
  return out;
}

export async function acquireLock(storage: Storage, opts: LockOptions): Promise<HeldLock> {
  const now = opts.now ?? (() => new Date());
  const host = opts.host ?? hostname();
  const pid = opts.pid ?? process.pid;
  const wait = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  const signal = opts.signal;
  const id = randomBytes(8).toString('hex');
  const key = lockKey(opts.kind, id);
  const started = now().getTime();
  const info = (refreshedAt = now().getTime()): LockInfo => ({
    id,
    kind: opts.kind,
    command: opts.command,
    host,
    pid,
    createdAt: new Date(started).toISOString(),
    refreshedAt: new Date(refreshedAt).toISOString(),
  });
  const body = (refreshedAt?: number): Uint8Array => Buffer.from(`${JSON.stringify(info(refreshedAt), null, 1)}\n`);

  const conflictsWithUs = (l: LockInfo): boolean => opts.kind === 'exclusive' || l.kind === 'exclusive';

  /** A live lock of another run that conflicts with ours; stale locks found on the way are removed. */
  const conflict = async (): Promise<LockInfo | undefined> => {
    const context = stalenessContext({ ...opts, host, pid });
    for (const other of await listLocks(storage, signal)) {
      if (other.key === key) continue;
      if (staleReason(other.info, context)) await storage.delete(other.key, { signal });
      else if (conflictsWithUs(other.info)) return other.info;
    }
    return undefined;
  };

  let writtenAt = started;
  for (let attempt = 0; ; attempt++) {
    let holder: LockInfo | undefined;
    try {
      writtenAt = now().getTime();
      await storage.put(key, body(writtenAt), { signal });
      holder = await conflict();
    } catch (err) {
      await storage.delete(key).catch(() => undefined); // a put that failed late may still have landed
      // A read-only repository (a snapshot, read-only credentials: the normal case in a disaster) can
      // still be read: say how.
      if (err instanceof StorageError && !err.retryable && opts.kind === 'shared') {
        throw new StorageError(`cannot take a shared lock on ${storage}: ${err.message}`, {
          cause: err,
          hint: `${err.hint ? `${err.hint}; ` : ''}if the repository is read-only, restore and verify can run without a lock: --no-lock`,
        });
      }
      throw err;
    }
    if (!holder) break;
    await storage.delete(key);
    if (now().getTime() - started >= (opts.waitMs ?? 0)) throw new LockedError(storage.toString(), holder);
    opts.waiting?.(holder, now().getTime() - started);
    await wait(Math.round(Math.min(5000, 250 * 2 ** Math.min(attempt, 4)) * (0.5 + random())), signal);
  }

  // Others may remove this lock once its refreshedAt is staleAfter old, so the run must stop before
  // that: when a refresh finds the file gone, or no refresh has landed for giveUpAfter. The deadline is
  // checked on every tick, also while a slow refresh is still in flight; a refresh is cut off at the
  // deadline, and one that lands after it is taken back, since by then another run may own the lock.
  const refreshEvery = opts.refreshEveryMs ?? 60_000;
  const giveUpAfter = Math.max(refreshEvery, (opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS) - 2 * refreshEvery);
  let lastRefresh = writtenAt; // refreshedAt of the newest copy known to have landed
  const lost = new AbortController();
  const lose = (why: string): void => {
    if (!lost.signal.aborted) lost.abort(new LockLostError(storage.toString(), why));
  };
  const overdue = (): boolean => now().getTime() - lastRefresh > giveUpAfter;
  const checkDeadline = (): void => {
    if (overdue()) lose(`it could not be refreshed since ${new Date(lastRefresh).toISOString()}`);
  };
  const assertHeld = async (): Promise<void> => {
    checkDeadline();
    if (!lost.signal.aborted && !(await storage.stat(key))) lose(`its file ${key} was removed by another run`);
    if (lost.signal.aborted) throw lost.signal.reason;
  };
  const rewrite = async (): Promise<void> => {
    const builtAt = now().getTime();
    const cutOff = AbortSignal.timeout(Math.max(1, lastRefresh + giveUpAfter - builtAt));
    try {
      if (!(await storage.stat(key, { signal: cutOff }))) return lose(`its file ${key} was removed by another run`);
      await storage.put(key, body(builtAt), { signal: cutOff });
    } catch {
      return checkDeadline(); // a failed refresh is tried again next time, until the deadline
    }
    if (overdue()) {
      lose(`its refresh landed too late (not refreshed since ${new Date(lastRefresh).toISOString()})`);
      await storage.delete(key).catch(() => undefined);
      return;
    }
    lastRefresh = builtAt;
  };
  let refreshing: Promise<void> | undefined;
  const refresh = setInterval(() => {
    checkDeadline();
    if (lost.signal.aborted) return;
    // One rewrite at a time: a slow one still in flight when the next is due is not overtaken.
    refreshing ??= rewrite().finally(() => (refreshing = undefined));
  }, refreshEvery);
  refresh.unref();
  let released = false;
  return {
    info: info(),
    signal: lost.signal,
    assertHeld,
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(refresh);
      await refreshing; // a rewrite landing after the delete would leave a live-looking lock behind
      await storage.delete(key);
    },
  };
}

/**
 * Runs `fn` while holding the lock, releasing it however `fn` ends. If the lock is lost meanwhile,
 * the failure `fn` ends with is reported as the LockLostError.
 */
export async function withLock<T>(storage: Storage, opts: LockOptions, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  const lock = await acquireLock(storage, opts);
  try {
    return await fn(lock);
  } catch (err) {
    if (lock.signal.aborted) throw lock.signal.reason;
    throw err;
  } finally {
    await lock
      .release()
      .catch((err: unknown) =>
        opts.warn?.(
          `could not remove this run's lock file from ${storage}: ${(err as Error).message}; it blocks other runs until it is stale or removed with 'tsdb-backup unlock'`,
        ),
      );
  }
}
