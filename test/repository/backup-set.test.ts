import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, type BackupOptions } from '../../src/backup/backup.js';
import type { Manifest } from '../../src/format/manifest.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { completeSet, completeSetManifest, mergeShards, SetIncompleteError, setStatus } from '../../src/repository/backup-set.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 4, 1);
const METRICS = Array.from({ length: 9 }, (_, i) => `set.m${i}`);

describe('backup sets in the repository', () => {
  let tsd: FakeTsd;
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(
      tsd.url,
      METRICS.flatMap((metric) => Array.from({ length: 5 }, (_, i) => ({ metric, tags: { host: 'a' }, timestamp: T0 + i * 1000, value: String(i) }))),
    );
  });
  afterAll(async () => {
    await tsd.close();
  });
  const opts = (index: number, count: number, name = 's', over: Partial<BackupOptions> = {}): BackupOptions => ({
    metrics: [],
    start: T0,
    end: T0 + 60_000,
    concurrency: 2,
    maxResponseBytes: 1 << 20,
    zstdLevel: 3,
    set: { name, shard: { index, count } },
    ...over,
  });
  const repoOf = async () => {
    const storage = new MemoryStorage();
    await Repository.init(storage, { now: new Date(T0) });
    return { storage, repository: await Repository.open(storage) };
  };
  const client = () => new TsdClient({ url: tsd.url });

  it('shards that finish at once merge into exactly one manifest holding every metric once', async () => {
    const { storage, repository } = await repoOf();
    const results = await Promise.all([0, 1, 2].map((i) => backup(opts(i, 3), { client: client(), repository })));
    const manifests = [...storage.objects.keys()].filter((k) => k.startsWith('backups/'));
    expect(manifests).toHaveLength(1);
    expect(results.some((r) => r.set?.backupId !== undefined)).toBe(true);
    const merged = await repository.readManifest('s');
    expect(merged.set).toEqual({ name: 's', shards: 3 });
    expect(merged.metrics.map((m) => m.name)).toEqual(METRICS);
    expect(merged.totals).toMatchObject({ metrics: 9, points: 45 });
    expect(new Set(merged.chunks.map((c) => c.metric)).size).toBe(9);
    expect(merged.startedAt).toBe(results.map((r) => r.manifest.startedAt).sort()[0]);
  });

  it('the merge is a pure function of the records: its id comes from the set name and earliest start', () => {
    const rec = (shard: number, startedAt: string, metric: string): Manifest => ({
      format: 'tsdb-backup-manifest',
      version: 1,
      id: `20260501T00000${shard}Z-00000${shard}`,
      type: 'full',
      parent: null,
      tool: { name: 'tsdb-backup', version: 'x' },
      source: { url: 'http://tsd:4242', version: '2.4.1' },
      range: { start: 1, end: 2 },
      selection: { metrics: [] },
      startedAt,
      finishedAt: startedAt,
      totals: { metrics: 1, series: 1, points: 3, chunks: 1, bytes: 10 },
      metrics: [{ name: metric, series: 1, points: 3, chunks: 1 }],
      chunks: [{ key: `data/aa/${'a'.repeat(63)}${shard}`, metric, start: 1, end: 2, series: 1, points: 3, bytes: 10, sha256: `${'a'.repeat(63)}${shard}` }],
      set: { name: 'nightly', shards: 2, shard },
    });
    const a = [rec(1, '2026-05-01T00:00:09.000Z', 'b'), rec(0, '2026-05-01T00:00:05.000Z', 'a')];
    const m = mergeShards('nightly', a);
    expect(mergeShards('nightly', [...a].reverse())).toEqual(m);
    // 6 hex digits of SHA-256("nightly")
    expect(m.id).toBe('20260501T000005Z-2a3b62');
    expect(m).toMatchObject({
      startedAt: '2026-05-01T00:00:05.000Z',
      finishedAt: '2026-05-01T00:00:09.000Z',
      totals: { metrics: 2, points: 6, chunks: 2, bytes: 20 },
      set: { name: 'nightly', shards: 2 },
    });
    expect(setStatus('nightly', [a[0]!])).toMatchObject({ shards: 2, done: [1], missing: [0], odd: [] });
    const other = { ...a[0]!, range: { start: 1, end: 3 } };
    expect(setStatus('nightly', [a[1]!, other, { ...other, set: { name: 'nightly', shards: 2, shard: 0 } }]).odd).toEqual([0]);
  });

  it('a set with a missing shard has no manifest and is refused by name, naming the missing shards', async () => {
    const { storage, repository } = await repoOf();
    await backup(opts(0, 3), { client: client(), repository });
    await backup(opts(2, 3), { client: client(), repository });
    expect([...storage.objects.keys()].filter((k) => k.startsWith('backups/'))).toEqual([]);
    const err = await completeSetManifest(repository, 's').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SetIncompleteError);
    expect((err as Error).message).toMatch(/shard\(s\) 1 of 3 have not finished \(done: 0, 2\)/);
    expect((await completeSet(repository, 's')).missing).toEqual([1]);
  });

  it('a shard whose terms another shard contradicts at commit time is told it is the odd one, and nothing merges', async () => {
    const { storage, repository } = await repoOf();
    await backup(opts(0, 3, 's', { end: T0 + 30_000 }), { client: client(), repository });
    // shards 0 and 1 took another end; shard 2 started before their records existed
    // (the lock check right before the commit is where shard 1 lands, for the test)
    const r = await backup(opts(2, 3), {
      client: client(),
      repository,
      lock: {
        assertHeld: async () => {
          await backup(opts(1, 3, 's', { end: T0 + 30_000 }), { client: client(), repository });
        },
      },
    });
    expect(r.set).toMatchObject({ done: [0, 1, 2], missing: [], odd: [2], problem: expect.stringMatching(/shard\(s\) 2\/3 .* disagree/) });
    expect(r.set?.backupId).toBeUndefined();
    expect([...storage.objects.keys()].filter((k) => k.startsWith('backups/'))).toEqual([]);
  });
});
