// Review: before a window is split by a tag key, the TSD must prove that every series with a point in the
// window has that key (a filter never matches a series without it). The proof counts series with a point
// in the window itself, not in the wider range a raw query scans, and tells new series that start between
// two counts (the newest window of a backup ends at now) from series that lack the key.
import { describe, expect, it } from 'vitest';
import { fetchUnit, type FetchConfig } from '../../src/fetch/fetch-unit.js';
import type { QueryUnit } from '../../src/fetch/query-unit.js';
import { KIND_INT } from '../../src/format/point-value.js';
import type { CallOptions, RawQuery, SeriesCountOptions } from '../../src/opentsdb/client.js';
import type { QueriedSeries } from '../../src/opentsdb/query-response.js';

interface S {
  tags: Record<string, string>;
  ts: number[];
}

const H = 3_600_000;

/** A TSD of `series`; a raw query of more than `maxSeries` hangs (2.4.1). `afterCount` runs after each series count. */
function rangeStub(series: S[], maxSeries: number, afterCount?: () => void) {
  const matches = (q: RawQuery, tags: Record<string, string>): boolean =>
    (q.filters ?? []).every(
      (f) => tags[f.tagk] !== undefined && (f.type === 'wildcard' ? f.filter === '*' : new RegExp(f.filter.replace(/\\Q(.*?)\\E/g, '$1')).test(tags[f.tagk]!)),
    );
  const within = (s: S, a: number, b: number) => s.ts.filter((t) => t >= a && t <= b);
  return {
    async queryRaw(q: RawQuery) {
      const hit = series.filter((s) => matches(q, s.tags) && within(s, q.start, q.end).length > 0);
      if (hit.length > maxSeries) return new Promise<never>(() => undefined);
      const out: QueriedSeries[] = hit.map((s) => {
        const ts = within(s, q.start, q.end);
        return { metric: q.metric, tags: s.tags, timestamps: ts, kinds: ts.map(() => KIND_INT), values: ts.map(() => 1) };
      });
      return { series: out, bytes: 100 };
    },
    async countPoints(q: RawQuery) {
      return series.filter((s) => matches(q, s.tags)).reduce((n, s) => n + within(s, q.start, q.end).length, 0);
    },
    // as TsdClient.countSeries: the rows a raw query scans (hour of start .. end + 2 h), or with `withPoints` the window alone
    async countSeries(q: RawQuery, opts: CallOptions & SeriesCountOptions = {}) {
      const from = opts.withPoints ? q.start : Math.floor(q.start / H) * H;
      const to = opts.withPoints ? q.end : q.end + 2 * H;
      const n = series.filter((s) => matches(q, s.tags) && within(s, from, to).length > 0).length;
      afterCount?.();
      return n;
    },
    async sampleSeriesTags() {
      return series.slice(0, 50).map((s) => s.tags);
    },
  };
}

const unit: QueryUnit = { metric: 'm', start: 10 * H, end: 11 * H - 1, filters: [] };
const cfg: FetchConfig = { maxResponseBytes: 1e9, minWindowMs: 60_000, splitSampleSize: 50, maxSeriesPerQuery: 40, progress: () => undefined };
const inWindow = Array.from({ length: 60 }, (_, i) => 10 * H + i * 60_000);
const hosts = (n: number): S[] => Array.from({ length: n }, (_, i) => ({ tags: { host: `h${i}` }, ts: inWindow }));
const points = (pieces: Array<{ points: number }>) => pieces.reduce((n, p) => n + p.points, 0);

describe('the proof that every series of a window has the split key', () => {
  it('ignores a series without the key whose points are all outside the window (only the scanned margin holds them)', async () => {
    const series = [...hosts(100), { tags: { cluster: 'c1' }, ts: [11 * H + 30 * 60_000] }];
    expect(points(await fetchUnit(rangeStub(series, 40), unit, cfg, { countSeries: true }))).toBe(100 * 60);
  });

  it('is not fooled into "lack" by new series (all with the key) that start in the window between its counts', async () => {
    const series = hosts(100);
    let k = 0;
    // a new host writes its first point into the window after every other count
    const c = rangeStub(series, 40, () => void (k++ % 2 === 0 && series.push({ tags: { host: `new${k}` }, ts: [11 * H - 1000] })));
    const pieces = await fetchUnit(c, unit, cfg, { countSeries: true });
    expect(points(pieces)).toBeGreaterThanOrEqual(100 * 60);
    const read = new Set(pieces.flatMap((p) => p.series.map((s) => s.tags.host)));
    for (const s of hosts(100)) expect(read.has(s.tags.host)).toBe(true);
  });

  it('fails, naming the cause, when new series keep starting in the window between every two counts', async () => {
    const series = hosts(100);
    let k = 0;
    const c = rangeStub(series, 40, () => void series.push({ tags: { host: `new${k++}` }, ts: [11 * H - 1000] }));
    await expect(fetchUnit(c, unit, cfg, { countSeries: true })).rejects.toThrow(/kept starting/);
  });

  it('still finds a series without the key while new series with it start between its counts', async () => {
    const series = [...hosts(100), { tags: { cluster: 'c1' }, ts: inWindow }];
    let k = 0;
    const c = rangeStub(series, 40, () => void series.push({ tags: { host: `new${k++}` }, ts: [11 * H - 1000] }));
    await expect(fetchUnit(c, unit, cfg, { countSeries: true })).rejects.toThrow(/lack tag 'host'|kept starting/);
  });

  it('says what to do when series lack the key: not an option that cannot help a window of too many series', async () => {
    const series = [{ tags: { cluster: 'c1' }, ts: inWindow }, ...hosts(100)];
    const err = await fetchUnit(rangeStub(series, 40), unit, cfg, { countSeries: true }).then(
      () => undefined,
      (e: unknown) => e as { message: string; hint?: string },
    );
    expect(err?.message).toMatch(/1 of the 101 series .*lack tag 'host'/);
    expect(err?.hint ?? '').not.toMatch(/max-response-mb/);
    expect(err?.hint ?? '').toMatch(/tag/);
  });
});
