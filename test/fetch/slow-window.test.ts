// A healthy TSD that is slow on one large window (few series, many points): the read times out whatever
// the series count. It is not waited out again and again before the window is halved (review).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchUnit } from '../../src/fetch/fetch-unit.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { silentProgress } from '../../src/progress.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const HOUR = 3_600_000;
const H = Date.UTC(2026, 8, 1, 12);

describe('a slow window of few series', () => {
  let tsd: FakeTsd;
  const fullWindowRawAttempts: number[] = [];
  beforeAll(async () => {
    tsd = await startFakeTsd({
      autoCreateMetrics: true,
      faults: async (req) => {
        if (!req.path.startsWith('/api/query')) return undefined;
        const q = JSON.parse(req.body.toString());
        if (q.queries[0].aggregator !== 'none') return undefined;
        if (q.end - q.start > HOUR) {
          fullWindowRawAttempts.push(1);
          await new Promise((r) => setTimeout(r, 700));
        }
        return undefined;
      },
    });
    await putPoints(
      tsd.url,
      Array.from({ length: 20 }, (_, i) => ({ metric: 'slow.m', tags: { host: 'a' }, timestamp: H + i * 360_000, value: String(i) })),
    );
  });
  afterAll(async () => tsd.close());

  it('is halved after two timeouts: uncounted, then counted', async () => {
    const client = new TsdClient({ url: tsd.url, timeoutMs: 300, retry: { attempts: 5, baseDelayMs: 1, maxDelayMs: 2 } });
    const cfg = { maxResponseBytes: 1 << 20, minWindowMs: 60_000, splitSampleSize: 100, progress: silentProgress };
    const pieces = await fetchUnit(client, { metric: 'slow.m', start: H, end: H + 2 * HOUR - 1, filters: [] }, cfg, {});
    expect(pieces.reduce((n, p) => n + p.points, 0)).toBe(20);
    // asked uncounted once, then once counted: a timeout that is not the series hang goes on to halving
    expect(fullWindowRawAttempts.length).toBe(2);
  }, 60_000);
});
