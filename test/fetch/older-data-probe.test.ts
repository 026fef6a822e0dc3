import { describe, expect, it } from 'vitest';
import { findOlderData } from '../../src/fetch/older-data-probe.js';
import { SECONDS_BY_VALUE_MS } from '../../src/opentsdb/query-time.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** countBuckets as measured on 2.4.1: epoch-aligned buckets, the one before start dropped, points up to an hour past end counted. */
function tsdWith(points: number[]) {
  const calls: Array<{ start: number; end: number; bucketMs: number }> = [];
  return {
    calls,
    async countBuckets(q: { start: number; end: number }, bucketMs: number) {
      calls.push({ start: q.start, end: q.end, bucketMs });
      const counts = new Map<number, number>();
      for (const p of points) {
        if (p < Math.floor(q.start / HOUR) * HOUR || p > q.end + HOUR) continue;
        const b = Math.floor(p / bucketMs) * bucketMs;
        if (b < q.start) continue;
        counts.set(b, (counts.get(b) ?? 0) + 1);
      }
      return [...counts].sort((a, b) => a[0] - b[0]).map(([ts, count]) => ({ ts, count }));
    },
  };
}

describe('finding older data', () => {
  const now = Date.UTC(2026, 10, 29, 5);

  it('a metric without data is done in a few probes back to 1970-02-19, the rest is left to one raw query', async () => {
    const tsd = tsdWith([]);
    const r = await findOlderData(tsd, 'm', { floor: 1000, end: now }, 28 * DAY);
    expect(r).toEqual({ queries: 4, resume: { end: SECONDS_BY_VALUE_MS - 1, bucketMs: SECONDS_BY_VALUE_MS, bucketPoints: 0 } });
    expect(Math.min(...tsd.calls.map((c) => c.start))).toBe(SECONDS_BY_VALUE_MS);
    for (const c of tsd.calls) expect(c.start % c.bucketMs).toBe(0);
    expect(await findOlderData(tsd, 'm', { floor: 1_767_225_600_000, end: now }, 28 * DAY)).toEqual({ queries: 2 });
  });

  it('asks and answers in whole milliseconds even when the reach it is given is not (a window sized from a density)', async () => {
    const tsd = tsdWith([now - 200 * DAY]);
    const r = await findOlderData(tsd, 'm', { floor: 1000, end: now - 1 }, 9_876_543.21);
    for (const c of tsd.calls) {
      expect(Number.isSafeInteger(c.start), `start ${c.start}`).toBe(true);
      expect(Number.isSafeInteger(c.end), `end ${c.end}`).toBe(true);
    }
    expect(Number.isSafeInteger(r.resume!.end)).toBe(true);
    expect(r.resume!.end).toBeGreaterThanOrEqual(now - 200 * DAY);
  });

  it('resumes at or after the newest older point, never before it', async () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 200; i++) {
      const newest = 1000 + Math.floor(rand() * (now - 1000));
      const points = [newest, newest - Math.floor(rand() * 400 * DAY)].filter((p) => p >= 1000);
      const r = await findOlderData(tsdWith(points), 'm', { floor: 1000, end: now }, 28 * DAY);
      expect(r.resume, `newest ${newest}`).toBeDefined();
      expect(r.resume!.end).toBeGreaterThanOrEqual(newest);
      if (newest >= SECONDS_BY_VALUE_MS) expect(r.resume!.end - newest).toBeLessThanOrEqual(2 * DAY);
      else expect(r.resume!.end).toBe(SECONDS_BY_VALUE_MS - 1);
      expect(r.queries).toBeLessThanOrEqual(8);
    }
  });

  it('a point the TSD counts past the end cannot be told from one before it: resume at the end, not beyond', async () => {
    const end = Date.UTC(2026, 0, 1) - 1;
    const r = await findOlderData(tsdWith([end + 1]), 'm', { floor: 1000, end }, 28 * DAY);
    expect(r.resume?.end).toBe(end);
    // A bucket that begins after the end is ignored.
    const later = await findOlderData(tsdWith([end + 1]), 'm', { floor: 1_700_000_000_000, end: end - DAY }, 28 * DAY);
    expect(later.resume).toBeUndefined();
  });
});
