// The repository lock. Backups and prune take the exclusive lock; restore and verify take a shared one,
// so prune can never delete chunks a restore is reading, and two backups never interleave.
//
//   locks/exclusive.json         created with putIfAbsent: exactly one holder
//   locks/shared-<id>.json       one per reader
//
// A holder refreshes its lock file every minute. A lock is stale when its process is gone (same host)
// or it has not been refreshed for `staleAfterMs`; a stale lock is removed and acquisition retried.
// On stores without an atomic create (see the S3 notes in README) exclusivity rests on the re-check
// after acquiring.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { NotFoundError, TsdbBackupError } from '../errors.js';
import { sleep as defaultSleep } from '../retry.js';
import type { Storage } from '../storage/storage.js';

export const EXCLUSIVE_KEY = 'locks/exclusive.json';
const SHARED_PREFIX = 'locks/shared-';

const lockSchema = z.object({
  id: z.string(),
  kind: z.enum(['exclusive', 'shared']),
  command: z.string(),
  host: z.string(),
  pid: z.number().int(),
  createdAt: z.string(),
  refreshedAt: z.string(),
});
export type LockInfo = z.infer<typeof lockSchema>;

export class LockedError extends TsdbBackupError {
  constructor(
    where: string,
    readonly holder: LockInfo | undefined,
  ) {
    super(
      'LOCKED',
      holder
        ? `${where} is locked by '${holder.command}' (pid ${holder.pid} on ${holder.host}, since ${holder.createdAt}, ${holder.kind})`
        : `${where} is locked`,
      { hint: 'wait for the other run, use --wait-lock 10m, or if it is dead, remove the lock file under locks/ by hand' },
    );
  }
}

export interface LockOptions {
  kind: 'exclusive' | 'shared';
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
  signal?: AbortSignal;
}

export interface HeldLock {
  info: LockInfo;
  release(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// A lock file that cannot be read is held by someone unknown and never stale: an operator decides.
const UNREADABLE: LockInfo = { id: '?', kind: 'exclusive', command: 'unknown (unreadable lock file)', host: '?', pid: -1, createdAt: '?', refreshedAt: '?' };

async function readLock(storage: Storage, key: string): Promise<LockInfo | undefined> {
  let raw: Uint8Array;
  try {
    raw = await storage.get(key);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
  try {
    const parsed = lockSchema.safeParse(JSON.parse(Buffer.from(raw).toString('utf8')));
    return parsed.success ? parsed.data : UNREADABLE;
  } catch {
    return UNREADABLE;
  }
}

export async function acquireLock(storage: Storage, opts: LockOptions): Promise<HeldLock> {
  const now = opts.now ?? (() => new Date());
  const host = opts.host ?? hostname();
  const alive = opts.isProcessAlive ?? processAlive;
  const staleAfter = opts.staleAfterMs ?? 15 * 60_000;
  const wait = opts.sleep ?? defaultSleep;
  const id = randomBytes(8).toString('hex');
  const key = opts.kind === 'exclusive' ? EXCLUSIVE_KEY : `${SHARED_PREFIX}${id}.json`;
  const started = now().getTime();
  const info = (): LockInfo => ({ id, kind: opts.kind, command: opts.command, host, pid: opts.pid ?? process.pid, createdAt: new Date(started).toISOString(), refreshedAt: now().toISOString() });
  const body = (): Uint8Array => Buffer.from(`${JSON.stringify(info(), null, 1)}\n`);

  const isStale = (l: LockInfo): boolean => {
    if (l.host === host && l.pid > 0 && l.pid !== (opts.pid ?? process.pid) && !alive(l.pid)) return true;
    const refreshed = Date.parse(l.refreshedAt);
    return Number.isFinite(refreshed) && now().getTime() - refreshed > staleAfter;
  };

  /** Another holder that conflicts with us, after removing stale ones. */
  const conflict = async (): Promise<LockInfo | undefined> => {
    const exclusive = await readLock(storage, EXCLUSIVE_KEY);
    if (exclusive && exclusive.id !== id) {
      if (!isStale(exclusive)) return exclusive;
      await storage.delete(EXCLUSIVE_KEY);
    }
    if (opts.kind === 'shared') return undefined;
    for await (const o of storage.list(SHARED_PREFIX)) {
      const shared = await readLock(storage, o.key);
      if (!shared) continue;
      if (!isStale(shared)) return shared;
      await storage.delete(o.key);
    }
    return undefined;
  };

  for (let attempt = 0; ; attempt++) {
    let holder: LockInfo | undefined;
    if (opts.kind === 'exclusive') {
      if (await storage.putIfAbsent(key, body(), { signal: opts.signal })) {
        holder = await conflict();
        const mine = await readLock(storage, key);
        if (!holder && mine?.id === id) break;
        if (mine?.id === id) await storage.delete(key);
        holder ??= mine;
      } else {
        holder = await conflict();
        if (!holder) continue; // the stale lock was removed: try again at once
      }
    } else {
      await storage.put(key, body(), { signal: opts.signal });
      holder = await conflict();
      if (!holder) break;
      await storage.delete(key);
    }
    if (now().getTime() - started >= (opts.waitMs ?? 0)) throw new LockedError(storage.toString(), holder);
    await wait(Math.min(5000, 500 * 2 ** Math.min(attempt, 3)), opts.signal);
  }

  const refresh = setInterval(() => {
    storage.put(key, body()).catch(() => undefined);
  }, opts.refreshEveryMs ?? 60_000);
  refresh.unref();
  let released = false;
  return {
    info: info(),
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(refresh);
      await storage.delete(key);
    },
  };
}

/** Runs `fn` while holding the lock, releasing it however `fn` ends. */
export async function withLock<T>(storage: Storage, opts: LockOptions, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(storage, opts);
  try {
    return await fn();
  } finally {
    await lock.release().catch(() => undefined);
  }
}
