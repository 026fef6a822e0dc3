import { describe, expect, it } from 'vitest';
import { acquireLock, EXCLUSIVE_KEY, LockedError, type LockOptions } from '../../src/repository/lock.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';

const base: Partial<LockOptions> = { host: 'h1', isProcessAlive: () => true, sleep: async () => undefined };

describe('repository lock', () => {
  it('an exclusive lock refuses a second exclusive or shared lock, naming the holder', async () => {
    const s = new MemoryStorage();
    const held = await acquireLock(s, { ...base, kind: 'exclusive', command: 'full', pid: 100 });
    const err = await acquireLock(s, { ...base, kind: 'exclusive', command: 'incremental', pid: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockedError);
    expect((err as Error).message).toMatch(/locked by 'full' \(pid 100 on h1/);
    await expect(acquireLock(s, { ...base, kind: 'shared', command: 'restore', pid: 300 })).rejects.toBeInstanceOf(LockedError);
    await held.release();
    const next = await acquireLock(s, { ...base, kind: 'exclusive', command: 'incremental', pid: 200 });
    await next.release();
    expect([...s.objects.keys()]).toEqual([]);
  });

  it('shared locks coexist, and block an exclusive one', async () => {
    const s = new MemoryStorage();
    const a = await acquireLock(s, { ...base, kind: 'shared', command: 'restore', pid: 1 });
    const b = await acquireLock(s, { ...base, kind: 'shared', command: 'verify', pid: 2 });
    await expect(acquireLock(s, { ...base, kind: 'exclusive', command: 'prune', pid: 3 })).rejects.toThrow(/locked by '(restore|verify)'/);
    expect(await s.stat(EXCLUSIVE_KEY)).toBeUndefined();
    await a.release();
    await b.release();
    await (await acquireLock(s, { ...base, kind: 'exclusive', command: 'prune', pid: 3 })).release();
  });

  it('removes a lock whose process died on this host', async () => {
    const s = new MemoryStorage();
    await acquireLock(s, { ...base, kind: 'exclusive', command: 'full', pid: 100 });
    const lock = await acquireLock(s, { ...base, kind: 'exclusive', command: 'full', pid: 200, isProcessAlive: (pid) => pid !== 100 });
    expect(lock.info.pid).toBe(200);
    await lock.release();
  });

  it('keeps a lock held by a live process on another host until it ages out', async () => {
    const s = new MemoryStorage();
    let t = Date.UTC(2026, 0, 1);
    const now = () => new Date(t);
    await acquireLock(s, { ...base, kind: 'exclusive', command: 'full', pid: 100, host: 'other', now, isProcessAlive: () => false });
    await expect(acquireLock(s, { ...base, kind: 'exclusive', command: 'full', pid: 100, now })).rejects.toBeInstanceOf(LockedError);
    t += 16 * 60_000;
    const lock = await acquireLock(s, { ...base, kind: 'exclusive', command: 'full', pid: 100, now });
    await lock.release();
  });

  it('--wait-lock waits for the holder to finish', async () => {
    const s = new MemoryStorage();
    let t = 0;
    const held = await acquireLock(s, { ...base, kind: 'exclusive', command: 'full', pid: 1, now: () => new Date(t) });
    let waits = 0;
    const lock = await acquireLock(s, {
      ...base,
      kind: 'exclusive',
      command: 'incremental',
      pid: 2,
      waitMs: 60_000,
      now: () => new Date(t),
      sleep: async (ms) => {
        t += ms;
        if (++waits === 3) await held.release();
      },
    });
    expect(waits).toBe(3);
    await lock.release();
  });

  it('treats an unreadable lock file as held, and says so', async () => {
    const s = new MemoryStorage();
    await s.put(EXCLUSIVE_KEY, Buffer.from('garbage'));
    await expect(acquireLock(s, { ...base, kind: 'exclusive', command: 'full', pid: 1 })).rejects.toThrow(/unreadable lock file/);
  });
});
