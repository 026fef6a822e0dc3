// A read of the target split in time (after a 5xx or an answer too large) loses the predecessor of each
// piece's first point: an integer printed "3.0" (a float follows) is no longer resolved by the "1" before it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_FLOAT, KIND_INT } from '../../src/format/point-value.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { compareWithTarget } from '../../src/restore/target-compare.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 6, 4);

describe('verify on a read split in time', () => {
  let tsd: FakeTsd;
  let split = true;
  beforeAll(async () => {
    tsd = await startFakeTsd({
      autoCreateMetrics: true,
      faults: (req) => {
        if (!split || !req.path.startsWith('/api/query')) return undefined;
        const q = JSON.parse(req.body.toString());
        if (q.queries[0].aggregator === 'none' && q.end - q.start > 3_600_000) return { status: 500, body: { error: { code: 500, message: 'boom' } } };
        return undefined;
      },
    });
    // the target: int 1, int 3, float 4.5 (prints "1", "3.0", "4.5")
    await putPoints(tsd.url, [
      { metric: 'v.m', tags: { h: 'a' }, timestamp: T0 + 10 * MIN, value: '1' },
      { metric: 'v.m', tags: { h: 'a' }, timestamp: T0 + 70 * MIN, value: '3' },
      { metric: 'v.m', tags: { h: 'a' }, timestamp: T0 + 80 * MIN, value: '4.5' },
    ]);
  });
  afterAll(async () => tsd.close());

  // the backup: int 1, FLOAT 3.0, float 4.5: the target differs at T0+70min (int vs float)
  const expected = {
    metric: 'v.m',
    series: [
      {
        metric: 'v.m',
        tags: { h: 'a' },
        timestamps: [T0 + 10 * MIN, T0 + 70 * MIN, T0 + 80 * MIN],
        kinds: [KIND_INT, KIND_FLOAT, KIND_FLOAT],
        values: [1, 3, 4.5],
      },
    ] as any,
    intervals: [{ start: T0, end: T0 + 2 * 3_600_000 - 1 }],
  };

  it('unsplit: the change is found', async () => {
    split = false;
    const client = new TsdClient({ url: tsd.url, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const r = await compareWithTarget(client, expected);
    expect(r.changed).toBe(1);
  });
  it('split in time: the change is found too', async () => {
    split = true;
    const client = new TsdClient({ url: tsd.url, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const r = await compareWithTarget(client, expected);
    expect(r.changed).toBe(1);
  });
});
