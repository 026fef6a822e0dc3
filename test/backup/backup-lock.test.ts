// The commit point re-checks the repository lock: a run whose lock was taken from it (judged stale by
// another run) must not write a manifest, and prune must not delete anything.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { prune } from '../../src/prune/prune.js';
import { LockLostError } from '../../src/repository/lock.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';

const T0 = Date.UTC(2026, 4, 1);
const lost = { assertHeld: async () => Promise.reject(new LockLostError('memory', 'its file was removed by another run')) };
const held = { assertHeld: async () => undefined };
const keys = (s: MemoryStorage, prefix: string) => [...s.objects.keys()].filter((k) => k.startsWith(prefix));

describe('the lock at the commit point', () => {
  let tsd: FakeTsd;
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(
      tsd.url,
      Array.from({ length: 20 }, (_, i) => ({ metric: 'locked.metric', tags: { host: 'a' }, timestamp: T0 + i * 1000, value: String(i) })),
    );
  });
  afterAll(async () => {
    await tsd.close();
  });
  // Each test creates its repository first (`init`); every backup into it opens it.
  const run = (storage: MemoryStorage, lock: typeof held) =>
    Repository.open(storage).then((repository) =>
      backup(
        { metrics: [], start: T0, end: T0 + 60_000, concurrency: 1, maxResponseBytes: 1 << 20, zstdLevel: 3 },
        { client: new TsdClient({ url: tsd.url }), repository, lock },
      ),
    );

  it('a backup that lost its lock writes its chunks but no manifest', async () => {
    const storage = new MemoryStorage();
    await Repository.init(storage, { now: new Date(T0) });
    await expect(run(storage, lost)).rejects.toBeInstanceOf(LockLostError);
    expect(keys(storage, 'data/').length).toBeGreaterThan(0);
    expect(keys(storage, 'backups/')).toEqual([]);
    // with the lock held, the same backup commits
    await run(storage, held);
    expect(keys(storage, 'backups/')).toHaveLength(1);
  });

  it('a prune that lost its lock deletes nothing', async () => {
    const storage = new MemoryStorage();
    await Repository.init(storage, { now: new Date(T0) });
    await run(storage, held);
    await storage.put('data/ff/orphan', new Uint8Array([1]));
    const repository = await Repository.open(storage);
    const before = [...storage.objects.keys()].sort();
    await expect(prune({ rules: { last: 1 }, dryRun: false }, { repository, lock: lost })).rejects.toBeInstanceOf(LockLostError);
    expect([...storage.objects.keys()].sort()).toEqual(before);
    await prune({ rules: { last: 1 }, dryRun: false }, { repository, lock: held });
    expect(storage.objects.has('data/ff/orphan')).toBe(false);
  });

  it('from the CLI: a full backup whose lock file is removed mid-run exits 11 and commits nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-lock-lost-'));
    let removed = false;
    const source = await startFakeTsd({
      autoCreateMetrics: true,
      faults: async (req) => {
        if (!removed && req.path.startsWith('/api/query')) {
          removed = true; // another run judges this one stale and removes its lock
          for (const f of await readdir(path.join(dir, 'locks'))) await rm(path.join(dir, 'locks', f));
        }
        return undefined;
      },
    });
    try {
      await putPoints(source.url, [{ metric: 'locked.metric', tags: { host: 'a' }, timestamp: T0, value: '1' }]);
      await initRepo(dir);
      const r = await cli(['full', '--source', source.url, '--repo', dir, '--start', String(T0), '--end', String(T0 + 60_000), '--quiet']);
      expect(removed).toBe(true);
      expect(r.code, r.stderr).toBe(11);
      expect(r.stderr).toMatch(/lost the lock on .*was removed by another run; stopped/);
      expect(await readdir(path.join(dir, 'backups')).catch(() => [])).toEqual([]);
    } finally {
      await source.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
