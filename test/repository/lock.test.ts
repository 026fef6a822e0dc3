import { describe, expect, it } from 'vitest';
import { acquireLock, LockedError, LockLostError, lockKey, withLock, type LockOptions } from '../../src/repository/lock.js';
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
    expect([...s.objects.keys()].filter((k) => k.includes('exclusive'))).toEqual([]);
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
    await s.put(lockKey('shared', 'x'), Buffer.from('garbage'));
    await expect(acquireLock(s, { ...base, kind: 'shared', command: 'verify', pid: 1 })).rejects.toThrow(/unreadable lock file locks\/shared-x\.json/);
  });

  it('of two runs that collide, neither proceeds on a lock both believe they hold', async () => {
    // Both write their lock file before either lists: each sees the other, and both back off.
    const s = new MemoryStorage();
    let written = 0;
    let bothWritten!: () => void;
    const barrier = new Promise<void>((resolve) => (bothWritten = resolve));
    const put = s.put.bind(s);
    s.put = async (key, data, opts) => {
      await put(key, data, opts);
      if (++written === 2) bothWritten();
      await barrier;
    };
    const results = await Promise.allSettled([
      acquireLock(s, { ...base, kind: 'exclusive', command: 'full', pid: 1 }),
      acquireLock(s, { ...base, kind: 'exclusive', command: 'incremental', pid: 2 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof LockedError)).toBe(true);
    expect([...s.objects.keys()]).toEqual([]);
  });

  it('after a collision, waiting runs take the lock one after the other', async () => {
    const s = new MemoryStorage();
    let holders = 0;
    let most = 0;
    const run = async (pid: number, jitter: number) => {
      const lock = await acquireLock(s, {
        ...base,
        kind: 'exclusive',
        command: `run ${pid}`,
        pid,
        waitMs: 60_000,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms / 100)),
        random: () => jitter,
      });
      most = Math.max(most, ++holders);
      await new Promise((r) => setTimeout(r, 5));
      holders--;
      await lock.release();
    };
    await Promise.all([run(1, 0.1), run(2, 0.5), run(3, 0.9)]);
    expect(most).toBe(1);
    expect([...s.objects.keys()]).toEqual([]);
  });

  it('a release waits for a refresh in flight, so no lock file is left behind', async () => {
    const s = new MemoryStorage();
    const lock = await acquireLock(s, { ...base, kind: 'exclusive', command: 'full', pid: 1, refreshEveryMs: 5 });
    const put = s.put.bind(s);
    let refreshStarted!: () => void;
    const started = new Promise<void>((resolve) => (refreshStarted = resolve));
    s.put = async (key, data, opts) => {
      refreshStarted();
      await new Promise((r) => setTimeout(r, 30));
      await put(key, data, opts);
    };
    await started;
    await lock.release();
    await new Promise((r) => setTimeout(r, 60));
    expect([...s.objects.keys()]).toEqual([]);
  });

  it('a holder whose lock was removed by another run learns it at the next refresh, and does not re-create it', async () => {
    const s = new MemoryStorage();
    const lock = await acquireLock(s, { ...base, kind: 'exclusive', command: 'full', pid: 1, refreshEveryMs: 5 });
    await lock.assertHeld();
    s.objects.clear(); // another run judged it stale
    await new Promise((r) => setTimeout(r, 40));
    expect(lock.signal.aborted).toBe(true);
    expect(lock.signal.reason).toBeInstanceOf(LockLostError);
    expect((lock.signal.reason as Error).message).toMatch(/its file locks\/exclusive-\w+\.json was removed by another run/);
    await expect(lock.assertHeld()).rejects.toBeInstanceOf(LockLostError);
    expect(s.objects.size).toBe(0);
    await lock.release();
  });

  it('a holder that cannot refresh gives the lock up before others may judge it stale', async () => {
    const s = new MemoryStorage();
    let t = Date.UTC(2026, 0, 1);
    const lock = await acquireLock(s, {
      ...base,
      kind: 'exclusive',
      command: 'full',
      pid: 1,
      refreshEveryMs: 5,
      staleAfterMs: 10 * 60_000,
      now: () => new Date(t),
    });
    s.put = async () => {
      throw new Error('store unreachable');
    };
    t += 5 * 60_000; // failing refreshes for 5 minutes: still ours
    await new Promise((r) => setTimeout(r, 30));
    expect(lock.signal.aborted).toBe(false);
    t += 5 * 60_000; // 10 minutes: others may take it now, so stop (with 1-minute refreshes, at 8)
    await new Promise((r) => setTimeout(r, 30));
    expect(lock.signal.aborted).toBe(true);
    expect((lock.signal.reason as Error).message).toMatch(/could not be refreshed since 2026-01-01T00:00:00/);
    await lock.release();
  });

  it('withLock reports a body that failed after losing the lock as the lost lock', async () => {
    const s = new MemoryStorage();
    const err = await withLock(s, { ...base, kind: 'exclusive', command: 'full', pid: 1, refreshEveryMs: 5 }, async (lock) => {
      s.objects.clear();
      await new Promise((r) => setTimeout(r, 30));
      lock.signal.throwIfAborted();
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockLostError);
  });

  it('a refresh stuck past the deadline does not hold the deadline off, and its late copy is taken back', async () => {
    const s = new MemoryStorage();
    let t = Date.UTC(2026, 0, 1);
    const lock = await acquireLock(s, {
      ...base,
      kind: 'exclusive',
      command: 'full',
      pid: 1,
      refreshEveryMs: 5,
      staleAfterMs: 10 * 60_000,
      now: () => new Date(t),
    });
    let landPut!: () => void;
    const stuck = new Promise<void>((resolve) => (landPut = resolve));
    const put = s.put.bind(s);
    s.put = async (key, data, opts) => {
      await stuck; // the store hangs (a network partition)
      await put(key, data, opts);
    };
    await new Promise((r) => setTimeout(r, 20)); // a refresh is now in flight
    t += 11 * 60_000;
    s.objects.clear(); // meanwhile another run judged the lock stale and removed it
    await new Promise((r) => setTimeout(r, 20));
    expect(lock.signal.aborted).toBe(true); // lost on the deadline, with the refresh still hanging
    landPut();
    await new Promise((r) => setTimeout(r, 20));
    expect([...s.objects.keys()]).toEqual([]); // the copy that landed late was deleted again
    await expect(lock.assertHeld()).rejects.toBeInstanceOf(LockLostError);
    await lock.release();
  });
});

describe('append locks (backups)', () => {
  it('many append holders at once, each with its own lock file, beside shared ones', async () => {
    const s = new MemoryStorage();
    const shards = await Promise.all([0, 1, 2, 3].map((i) => acquireLock(s, { ...base, kind: 'append', command: `full --shard ${i}/4`, pid: 10 + i })));
    const reader = await acquireLock(s, { ...base, kind: 'shared', command: 'restore', pid: 20 });
    expect([...s.objects.keys()].filter((k) => k.startsWith('locks/append-'))).toHaveLength(4);
    expect(new Set(shards.map((l) => l.info.id)).size).toBe(4);
    for (const l of [...shards, reader]) await l.release();
    expect([...s.objects.keys()]).toEqual([]);
  });

  it('prune (exclusive) refuses while any append lock is held, and an append lock refuses while prune runs', async () => {
    const s = new MemoryStorage();
    const a = await acquireLock(s, { ...base, kind: 'append', command: 'full --shard 0/2', pid: 1 });
    const b = await acquireLock(s, { ...base, kind: 'append', command: 'full --shard 1/2', pid: 2 });
    await a.release();
    await expect(acquireLock(s, { ...base, kind: 'exclusive', command: 'prune', pid: 3 })).rejects.toThrow(
      /locked by 'full --shard 1\/2' \(pid 2 on h1, .*append\)/,
    );
    await b.release();
    const prune = await acquireLock(s, { ...base, kind: 'exclusive', command: 'prune', pid: 3 });
    await expect(acquireLock(s, { ...base, kind: 'append', command: 'incremental', pid: 4 })).rejects.toThrow(/locked by 'prune'/);
    await prune.release();
  });

  it('concurrent append and exclusive attempts never both proceed', async () => {
    for (let round = 0; round < 20; round++) {
      const s = new MemoryStorage();
      const tries = [
        acquireLock(s, { ...base, kind: 'append', command: 'full', pid: 1 }),
        acquireLock(s, { ...base, kind: 'exclusive', command: 'prune', pid: 2 }),
        acquireLock(s, { ...base, kind: 'append', command: 'full', pid: 3 }),
      ];
      const got = (await Promise.allSettled(tries)).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const kinds = got.map((l) => l.info.kind);
      expect(kinds.includes('exclusive') && kinds.length > 1).toBe(false);
      for (const l of got) await l.release();
    }
  });

  it('a stale append lock (its process gone) is removed and does not block prune', async () => {
    const s = new MemoryStorage();
    await acquireLock(s, { ...base, kind: 'append', command: 'full --shard 0/4', pid: 100 });
    const prune = await acquireLock(s, { ...base, kind: 'exclusive', command: 'prune', pid: 200, isProcessAlive: (pid) => pid !== 100 });
    expect([...s.objects.keys()].filter((k) => k.startsWith('locks/append-'))).toEqual([]);
    await prune.release();
  });
});
