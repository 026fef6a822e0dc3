// Damaged chunks are findings of verify: every one is reported and verify goes on; only a real
// failure (storage, interruption) stops it (see verify-interrupted.test.ts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { verify } from '../../src/verify/verify.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 4, 2);

describe('verify, damaged chunks', () => {
  let tsd: FakeTsd;
  const storage = new MemoryStorage();
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(
      tsd.url,
      ['d.a', 'd.b', 'd.c', 'd.d'].flatMap((metric) =>
        Array.from({ length: 5 }, (_, i) => ({ metric, tags: { host: 'a' }, timestamp: T0 + i * 1000, value: String(i) })),
      ),
    );
    await backup(
      { metrics: [], start: T0, end: T0 + 60_000, concurrency: 2, maxResponseBytes: 1 << 20, zstdLevel: 3 },
      { client: new TsdClient({ url: tsd.url }), repository: await Repository.init(storage, { now: new Date(T0) }) },
    );
  });
  afterAll(async () => {
    await tsd.close();
  });

  it('reports every damaged chunk (corrupt and missing) and checks all the others', async () => {
    const keys = [...storage.objects.keys()].filter((k) => k.startsWith('data/')).sort();
    expect(keys).toHaveLength(4);
    storage.objects.get(keys[0]!)![0]! ^= 0xff;
    storage.objects.delete(keys[2]!);
    const r = await verify({ concurrency: 2 }, { repository: await Repository.open(storage) });
    expect(r.chunks).toBe(4);
    expect(r.problems.map((p) => p.where).sort()).toEqual([keys[0], keys[2]]);
    expect(r.problems.map((p) => p.problem).join('\n')).toMatch(/corrupt[\s\S]*missing|missing[\s\S]*corrupt/);
  });

  it('names the metric and time range of each damaged chunk, not only its key', async () => {
    const r = await verify({ concurrency: 2 }, { repository: await Repository.open(storage) });
    const damaged = r.problems.filter((p) => p.where.startsWith('data/'));
    expect(damaged).toHaveLength(2);
    for (const p of damaged) {
      expect(p.metric).toMatch(/^d\.[abcd]$/);
      expect(p).toMatchObject({ start: T0, end: T0 + 60_000, firstTimestamp: T0, lastTimestamp: T0 + 4000 });
    }
  });
});
