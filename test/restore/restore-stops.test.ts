// A restore that fails stops: no chunk is read and no point written after it has reported the failure,
// and the failure says what was written before it stopped.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { restore } from '../../src/restore/restore.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 4, 2);
const METRICS = 20;

describe('restore, failing', () => {
  let source: FakeTsd;
  let target: FakeTsd;
  const storage = new MemoryStorage();
  let firstChunk = '';
  beforeAll(async () => {
    source = await startFakeTsd({ autoCreateMetrics: true });
    target = await startFakeTsd({ autoCreateMetrics: true });
    const points = [];
    for (let m = 0; m < METRICS; m++) {
      for (let i = 0; i < 5; i++)
        points.push({ metric: `stop.m${String(m).padStart(2, '0')}`, tags: { host: 'a' }, timestamp: T0 + i * 1000, value: String(i) });
    }
    await putPoints(source.url, points);
    const repository = await Repository.init(storage, { now: new Date(T0) });
    const r = await backup(
      { metrics: [], start: T0, end: T0 + 60_000, concurrency: 2, maxResponseBytes: 1 << 20, zstdLevel: 3 },
      { client: new TsdClient({ url: source.url }), repository },
    );
    expect(r.manifest.chunks).toHaveLength(METRICS);
    firstChunk = r.manifest.chunks[0]!.key;
    const bytes = storage.objects.get(firstChunk)!;
    bytes[bytes.length - 1]! ^= 0xff;
  });
  afterAll(async () => {
    await Promise.all([source.close(), target.close()]);
  });

  it('reads no chunk and writes no point after rejecting, and says what it wrote', async () => {
    let reads = 0;
    const counting = Object.create(storage) as MemoryStorage;
    counting.get = async (key, opts) => {
      if (key.startsWith('data/')) {
        reads++;
        // the corrupt chunk is found late, so that others are in flight meanwhile: after a few other reads
        // (a fixed delay raced the other worker, which could read every chunk within it on a fast machine)
        if (key === firstChunk) while (reads < 5) await new Promise((r) => setTimeout(r, 1));
      }
      return storage.get(key, opts);
    };
    const err = await restore(
      { metrics: [], start: T0, end: T0 + 60_000, dryRun: false, concurrency: 2, gzip: false },
      { repository: await Repository.open(counting), client: new TsdClient({ url: target.url }) },
    ).then(
      () => new Error('restore succeeded') as Error & { code?: string },
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err).toMatchObject({ code: 'CHUNK_CORRUPT' });
    const readsAtRejection = reads;
    const writtenAtRejection = target.stats.pointsWritten;
    await new Promise((r) => setTimeout(r, 300));
    expect(reads).toBe(readsAtRejection);
    expect(target.stats.pointsWritten).toBe(writtenAtRejection);
    expect(readsAtRejection).toBeLessThan(METRICS);
    expect(err.message).toContain(firstChunk);
    // Points the target confirmed; a put cut off by the stop may have landed unconfirmed.
    const m = /after writing (\d+) points and (\d+) of (\d+) chunks/.exec(err.message);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(writtenAtRejection);
    expect(Number(m![3])).toBe(METRICS);
  });
});
