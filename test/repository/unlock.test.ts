import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, lockKey, type LockInfo } from '../../src/repository/lock.js';
import { Repository } from '../../src/repository/repository.js';
import { unlock } from '../../src/repository/unlock.js';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { cli } from '../support/run-cli-in-process.js';

const T0 = Date.UTC(2026, 10, 24, 12);
const lockFile = (info: Partial<LockInfo> & { id: string }): Uint8Array =>
  Buffer.from(
    JSON.stringify({
      kind: 'exclusive',
      command: 'full',
      host: 'h1',
      pid: 100,
      createdAt: new Date(T0).toISOString(),
      refreshedAt: new Date(T0).toISOString(),
      ...info,
    }),
  );

describe('unlock', () => {
  async function threeLocks(): Promise<MemoryStorage> {
    const s = new MemoryStorage();
    await s.put(lockKey('exclusive', 'dead'), lockFile({ id: 'dead', pid: 100 })); // this host, process gone
    await s.put(lockKey('shared', 'remote'), lockFile({ id: 'remote', kind: 'shared', command: 'restore', host: 'h2', pid: 7 })); // another host, fresh
    await s.put(lockKey('exclusive', 'old'), lockFile({ id: 'old', host: 'h3', refreshedAt: new Date(T0 - 20 * 60_000).toISOString() })); // aged out
    return s;
  }
  const here = { host: 'h1', pid: 1, now: () => new Date(T0), isProcessAlive: (pid: number) => pid !== 100 };

  it('removes stale locks and keeps live ones, saying why', async () => {
    const s = await threeLocks();
    const verdicts = await unlock(s, here);
    const byId = Object.fromEntries(verdicts.map((v) => [v.lock.id, v]));
    expect(byId.dead).toMatchObject({ removed: true, reason: 'process 100 is gone' });
    expect(byId.old).toMatchObject({ removed: true, reason: expect.stringMatching(/not refreshed since/) });
    expect(byId.remote).toMatchObject({ removed: false, reason: expect.stringMatching(/live/) });
    expect([...s.objects.keys()]).toEqual([lockKey('shared', 'remote')]);
  });

  it('--remove-all removes live locks too; --dry-run removes nothing', async () => {
    const s = await threeLocks();
    const dry = await unlock(s, { ...here, removeAll: true, dryRun: true });
    expect(dry.every((v) => v.removed)).toBe(true);
    expect(s.objects.size).toBe(3);
    await unlock(s, { ...here, removeAll: true });
    expect(s.objects.size).toBe(0);
  });

  it('from the CLI: a lock left by a dead run on another host blocks backups until unlocked', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-unlock-'));
    try {
      const storage = new LocalStorage(dir);
      await Repository.init(storage, { now: new Date(T0) });
      await acquireLock(storage, { kind: 'exclusive', command: 'incremental', host: 'crashed-host', pid: 4242 }); // never released
      const kept = await cli(['unlock', '--repo', dir]);
      expect(kept.code).toBe(0);
      expect(kept.stderr).toMatch(/kept exclusive lock of 'incremental' \(pid 4242 on crashed-host/);
      expect(await readdir(path.join(dir, 'locks'))).toHaveLength(1);
      const all = await cli(['unlock', '--repo', dir, '--remove-all', '--json']);
      expect(all.code).toBe(0);
      expect(all.json).toEqual([
        expect.objectContaining({ type: 'lock', action: 'removed', host: 'crashed-host', pid: 4242 }),
        expect.objectContaining({ type: 'summary', command: 'unlock', dryRun: false, locks: 1, removed: 1, wouldRemove: 0 }),
      ]);
      expect(await readdir(path.join(dir, 'locks'))).toEqual([]);
      expect((await cli(['unlock', '--repo', path.join(dir, 'nowhere')])).code).toBe(10);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never removes the lock of a live process on this host', async () => {
    const s = new MemoryStorage();
    // held by another live process here: our parent
    const held = await acquireLock(s, { kind: 'exclusive', command: 'full', pid: process.ppid });
    expect((await unlock(s, { host: hostname() }))[0]).toMatchObject({ removed: false, lock: { pid: process.ppid } });
    await held.release();
  });
});

describe('unlock and append locks', () => {
  it('removes a dead append lock, keeps a live one, and removes it with removeAll', async () => {
    const s = new MemoryStorage();
    const opts = { host: 'h1', isProcessAlive: (pid: number) => pid !== 100, sleep: async () => undefined };
    // both taken while both processes lived; then process 100 dies
    await acquireLock(s, { ...opts, isProcessAlive: () => true, kind: 'append', command: 'full --shard 0/2', pid: 100 });
    await acquireLock(s, { ...opts, isProcessAlive: () => true, kind: 'append', command: 'full --shard 1/2', pid: 101 });
    const first = await unlock(s, opts);
    expect(first.map((v) => [v.lock.kind, v.lock.pid, v.removed])).toEqual(
      expect.arrayContaining([
        ['append', 100, true],
        ['append', 101, false],
      ]),
    );
    const second = await unlock(s, { ...opts, removeAll: true });
    expect(second.map((v) => [v.lock.pid, v.removed])).toEqual([[101, true]]);
    expect([...s.objects.keys()]).toEqual([]);
  });
});
