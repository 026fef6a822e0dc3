// A metric's first window is counted before it is read, whichever path reads it: the walk's own, or the
// first-window batching that reads a metric alone for its worker (first-windows.ts). A query over more
// series than 2.4.1 can serialize never answers (series-count.ts); the merge of the batching had lost the
// count on that path, and a 50,000-series metric hung the backup until its timeout.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { MAX_SERIES_PER_QUERY } from '../../src/fetch/series-count.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 6, 2);
const SERIES = MAX_SERIES_PER_QUERY + 300;

describe('a metric with more series than one query may return', () => {
  let tsd: FakeTsd;
  beforeAll(async () => {
    // Like 2.4.1: past the limit a query hangs instead of failing.
    tsd = await startFakeTsd({ autoCreateMetrics: true, maxSeriesPerQuery: MAX_SERIES_PER_QUERY + 100, seriesLimitBehavior: 'hang' });
    await putPoints(
      tsd.url,
      Array.from({ length: SERIES }, (_, i) => ({
        metric: 'wide.first',
        tags: { id: `w-${String(i).padStart(5, '0')}` },
        timestamp: T0 + (i % 60) * 1000,
        value: String(i),
      })),
    );
    await putPoints(
      tsd.url,
      [0, 1, 2].map((i) => ({ metric: 'narrow.first', tags: { host: 'a' }, timestamp: T0 + i * 1000, value: String(i) })),
    );
  }, 120_000);
  afterAll(async () => {
    await tsd.close();
  });

  it('is counted and split by series on its first window, never asked whole', async () => {
    const repo = await Repository.init(new MemoryStorage(), { now: new Date(T0) });
    const client = new TsdClient({ url: tsd.url, timeoutMs: 10_000, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 2 } });
    const r = await backup(
      { metrics: [], start: T0 - 60_000, end: T0 + 3_600_000, concurrency: 2, maxResponseBytes: 64 << 20, zstdLevel: 3 },
      { client, repository: repo },
    );
    expect(r.manifest.totals.points).toBe(SERIES + 3);
    expect(r.manifest.metrics.find((m) => m.name === 'wide.first')?.series).toBe(SERIES);
  }, 120_000);
});
