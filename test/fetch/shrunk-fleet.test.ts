// A walk goes back in time from a window of few series to one of many (a fleet that shrank, old hosts
// decommissioned): the guess from the newest window does not count the older one, and 2.4.1 hangs on a
// query over too many series instead of failing. That read is then asked once, not retried: when it
// times out, its series are counted and it is read split by series. Before, each of the client's
// attempts waited out --timeout (5 x 120 s by default) before the window was halved and counted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TsdClient } from '../../src/opentsdb/client.js';
import { TsdUnreachableError } from '../../src/opentsdb/errors.js';
import { silentProgress } from '../../src/progress.js';
import { newestFirst } from '../../src/fetch/settled-windows.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import type { SeedPoint } from '../support/dataset.js';

const HOUR = 3_600_000;
const H = Date.UTC(2026, 8, 1, 12);
const WIDE = 400;

describe('a window older than the newest one, with far more series', () => {
  let tsd: FakeTsd;
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true, maxSeriesPerQuery: 150, seriesLimitBehavior: 'hang' });
    const points: SeedPoint[] = [];
    // the newest hour: 5 hosts; the three hours before: 400
    for (let s = 0; s < 5; s++)
      for (let i = 0; i < 6; i++) points.push({ metric: 'shrunk.m', tags: { host: `h${s}` }, timestamp: H + i * 600_000, value: String(i) });
    for (let s = 0; s < WIDE; s++)
      for (let i = 0; i < 3; i++)
        points.push({ metric: 'shrunk.m', tags: { host: `old-${String(s).padStart(3, '0')}` }, timestamp: H - 3 * HOUR + i * HOUR, value: String(s) });
    await putPoints(tsd.url, points);
  });
  afterAll(async () => tsd.close());

  it('is asked once, then counted and split by series, and every point is read', async () => {
    const timeouts: number[] = [];
    const client = new TsdClient({
      url: tsd.url,
      timeoutMs: 500,
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      onRetry: (err) => {
        if (err instanceof TsdUnreachableError && err.netCode === 'TIMEOUT') timeouts.push(1);
      },
    });
    let points = 0;
    const cfg = {
      sizing: { initialWindowMs: HOUR, minWindowMs: 60_000, maxWindowMs: 24 * HOUR, targetPoints: 50 },
      maxResponseBytes: 1 << 20,
      minWindowMs: 60_000,
      splitSampleSize: 1000,
      maxSeriesPerQuery: 100,
      contextFloor: H - 6 * HOUR,
      progress: silentProgress,
    };
    for await (const w of newestFirst(client, 'shrunk.m', { start: H - 6 * HOUR, end: H + HOUR - 1 }, cfg)) points += w.points;
    expect(points).toBe(5 * 6 + WIDE * 3);
    expect(timeouts).toEqual([]); // no attempt again of the query that hung
  }, 60_000);
});
