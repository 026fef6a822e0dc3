// Many small metrics: their first windows are read several metrics to a request (fetch/first-windows.ts).
// The backup holds exactly the points of one that reads every metric by itself.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, type BackupOptions } from '../../src/backup/backup.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { pointsOfBackup } from '../support/backup-points.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 5, 1);
const MIN = 60_000;
const HOUR = 60 * MIN;
const METRICS = Array.from({ length: 60 }, (_, i) => `small.m${String(i).padStart(2, '0')}`);

describe('a backup of many small metrics', () => {
  let tsd: FakeTsd;
  let queries: string[] = [];
  /** Refuses every request of more than one sub-query: the backup reads each metric by itself. */
  let refuseBatches = false;

  beforeAll(async () => {
    tsd = await startFakeTsd({
      autoCreateMetrics: true,
      faults: (req) => {
        if (!req.path.startsWith('/api/query')) return undefined;
        const body = req.body.toString('utf8');
        queries.push(body);
        if (refuseBatches && (body.match(/"aggregator":"none"/g) ?? []).length > 1)
          return { status: 500, body: { error: { code: 500, message: 'refused by the test' } } };
        return undefined;
      },
    });
    const points = [];
    for (const [m, metric] of METRICS.entries()) {
      for (const host of ['a', 'b', 'c']) {
        // Floats that print like integers, integers, and every tenth metric over three hours (several windows).
        const n = m % 10 === 0 ? 180 : 20;
        for (let i = 0; i < n; i++)
          points.push({
            metric,
            tags: { host },
            timestamp: T0 + i * MIN + (host === 'c' ? 7 : 0),
            value: host === 'a' ? `${i}.0` : host === 'b' ? String(i * m) : `${i}.25`,
          });
      }
    }
    await putPoints(tsd.url, points);
  });
  afterAll(async () => {
    await tsd.close();
  });

  const opts: BackupOptions = {
    metrics: [],
    start: T0,
    end: T0 + 3 * HOUR - 1,
    concurrency: 3,
    maxResponseBytes: 1 << 20,
    zstdLevel: 3,
    sizing: { initialWindowMs: HOUR },
  };
  async function run(): Promise<{ lines: string[]; queries: number; requests: number; chunks: number }> {
    queries = [];
    const repo = await Repository.init(new MemoryStorage(), { now: new Date(T0) });
    const r = await backup(opts, { client: new TsdClient({ url: tsd.url, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 2 } }), repository: repo });
    return { lines: await pointsOfBackup(repo, r.manifest), queries: r.queries, requests: queries.length, chunks: r.manifest.chunks.length };
  }

  it('reads them several to a request and holds exactly the points of a backup that reads each by itself', async () => {
    refuseBatches = true;
    const alone = await run();
    refuseBatches = false;
    const batched = await run();
    expect(alone.lines).toHaveLength(METRICS.length * 3 * 20 + 6 * 3 * 160);
    expect(batched.lines).toEqual(alone.lines);
    expect(batched.chunks).toBe(alone.chunks);
    // one request per metric's first window before, a few batches now; the result counts what was sent
    expect(batched.requests).toBeLessThan(alone.requests - METRICS.length / 2);
    // a shared request is counted once, and its count of series with it; the result leaves out the series
    // counts a metric's own walk makes before its first read (fetch-unit.ts), which batched metrics skip
    expect(batched.queries).toBeLessThanOrEqual(batched.requests);
    expect(batched.requests - batched.queries).toBeLessThan(alone.requests - alone.queries);
  });
});
