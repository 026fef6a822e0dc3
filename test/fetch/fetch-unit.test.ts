import { describe, expect, it } from 'vitest';
import { readBounded } from '../../src/fetch/bounded-read.js';
import type { TsdbBackupError } from '../../src/errors.js';
import { fetchUnit, type FetchConfig } from '../../src/fetch/fetch-unit.js';
import type { QueryUnit } from '../../src/fetch/query-unit.js';
import { KIND_INT } from '../../src/format/point-value.js';
import { TsdHttpError, TsdResponseTooLargeError, TsdUnreachableError } from '../../src/opentsdb/errors.js';
import type { RawQuery } from '../../src/opentsdb/client.js';
import type { QueriedSeries } from '../../src/opentsdb/query-response.js';

/**
 * A stub TSD holding `hosts` series (or the tag sets `tagSets`) with one point per minute; refuses answers
 * over `maxSeries` series (or, with `hang`, never answers them, as 2.4.1 does) or `maxPoints` points.
 */
function stubClient(opts: {
  hosts: string[];
  maxSeries: number;
  maxPoints: number;
  withoutTag?: number;
  hang?: boolean;
  tagSets?: Array<Record<string, string>>;
  lateAfterCount?: boolean;
}) {
  const series = opts.tagSets ?? opts.hosts.map((h) => ({ host: h }) as Record<string, string>);
  for (let i = 0; i < (opts.withoutTag ?? 0); i++) series.push({ other: String(i) });
  const calls: RawQuery[] = [];
  const counts: RawQuery[] = [];
  // a filter on a tag key never matches a series without that key, as on 2.4.1 (wildcard '*' included)
  const matches = (q: RawQuery, tags: Record<string, string>): boolean =>
    (q.filters ?? []).every(
      (f) => tags[f.tagk] !== undefined && (f.type === 'wildcard' ? f.filter === '*' : new RegExp(f.filter.replace(/\\Q(.*?)\\E/g, '$1')).test(tags[f.tagk]!)),
    );
  // lateAfterCount: points written after the TSD counted the unit's points (a live cluster): one more per series
  let counted = false;
  const pointsIn = (q: RawQuery): number[] => {
    const out = [];
    for (let t = Math.ceil(q.start / 60_000) * 60_000; t <= q.end; t += 60_000) out.push(t);
    return out;
  };
  return {
    calls,
    counts,
    async queryRaw(q: RawQuery) {
      calls.push(q);
      const hit = series.filter((t) => matches(q, t));
      const ts = pointsIn(q);
      if (hit.length > opts.maxSeries && opts.hang) return new Promise<never>(() => undefined);
      if (hit.length > opts.maxSeries) throw new TsdHttpError('stub', 500, 'CallbackOverflowError');
      if (hit.length * ts.length > opts.maxPoints) throw new TsdResponseTooLargeError('stub', 1);
      const late = opts.lateAfterCount && counted ? [q.end] : [];
      const out: QueriedSeries[] = hit.map((tags) => ({
        metric: q.metric,
        tags,
        timestamps: [...ts, ...late],
        kinds: [...ts, ...late].map(() => KIND_INT),
        values: [...ts, ...late].map(() => 1),
      }));
      return { series: out, bytes: 100 };
    },
    async countPoints(q: RawQuery) {
      counted = true;
      return series.filter((t) => matches(q, t)).length * pointsIn(q).length;
    },
    async countSeries(q: RawQuery) {
      counts.push(q);
      return pointsIn(q).length > 0 ? series.filter((t) => matches(q, t)).length : 0;
    },
    async sampleSeriesTags() {
      return series.slice(0, 50);
    },
  };
}

const cfg: FetchConfig = { maxResponseBytes: 1e6, minWindowMs: 60_000, splitSampleSize: 100, progress: () => undefined };
const unit: QueryUnit = { metric: 'm', start: 0, end: 3_600_000 - 1, filters: [] };
const total = (pieces: Array<{ points: number }>): number => pieces.reduce((n, p) => n + p.points, 0);

describe('fetching a unit', () => {
  it('answers a small unit with one query', async () => {
    const c = stubClient({ hosts: ['a', 'b'], maxSeries: 100, maxPoints: 1e6 });
    const pieces = await fetchUnit(c, unit, cfg);
    expect(pieces).toHaveLength(1);
    expect(total(pieces)).toBe(120);
  });

  it('halves the window while the answer is too large, losing nothing', async () => {
    const c = stubClient({ hosts: ['a', 'b', 'c'], maxSeries: 100, maxPoints: 40 });
    const pieces = await fetchUnit(c, unit, cfg);
    expect(total(pieces)).toBe(180);
    expect(pieces.length).toBeGreaterThan(4);
    for (const p of pieces) expect(p.unit.end - p.unit.start).toBeLessThan(3_600_000);
  });

  it('splits by tag values when even the smallest window has too many series', async () => {
    const hosts = Array.from({ length: 300 }, (_, i) => (i % 2 ? `web${i}` : `DB${i}`));
    const c = stubClient({ hosts, maxSeries: 40, maxPoints: 1e9 });
    const pieces = await fetchUnit(c, { ...unit, end: 60_000 - 1 }, cfg);
    expect(total(pieces)).toBe(300);
    const seen = new Set(pieces.flatMap((p) => p.series.map((s) => s.tags.host)));
    expect(seen.size).toBe(300);
    expect(pieces.every((p) => p.unit.filters.length >= 1)).toBe(true);
  });

  it('fails instead of dropping series that lack the split key', async () => {
    const hosts = Array.from({ length: 100 }, (_, i) => `h${i}`);
    const c = stubClient({ hosts, maxSeries: 40, maxPoints: 1e9, withoutTag: 3 });
    await expect(fetchUnit(c, { ...unit, end: 60_000 - 1 }, cfg)).rejects.toThrow(/series lack tag 'host'/);
  });

  it('fails instead of dropping series that lack the split key when points written meanwhile make up their count', async () => {
    // 100 series split by host, one without it; each host series gains a point between the count and its read,
    // so the partitions return more points than the TSD counted although one series was never read
    const hosts = Array.from({ length: 100 }, (_, i) => `h${i}`);
    const c = stubClient({ hosts, maxSeries: 40, maxPoints: 1e9, withoutTag: 1, lateAfterCount: true });
    await expect(fetchUnit(c, { ...unit, end: 60_000 - 1 }, cfg)).rejects.toThrow(/series lack tag 'host'/);
  });

  it('tells the readers of a live TSD (restore --verify, compare) what they can do, not the backup option they lack', async () => {
    // every series has the key, but the TSD counts a point more than the partitions return (a series deleted meanwhile)
    const hosts = Array.from({ length: 100 }, (_, i) => `h${i}`);
    const c = stubClient({ hosts, maxSeries: 40, maxPoints: 1e9 });
    const counted = c.countPoints.bind(c);
    c.countPoints = async (q: RawQuery) => (await counted(q)) + 1;
    const err = await readBounded(c, { ...unit, end: 60_000 - 1 }, { maxSeriesPerQuery: 40 }).then(
      () => undefined,
      (e: unknown) => e as TsdbBackupError,
    );
    expect(err?.message).toMatch(/returned 100 points but the TSD counts 101/);
    expect(err?.hint).toMatch(/run it again/);
    expect(err?.hint).not.toMatch(/max-response-mb/);
  });

  it('fails at once, naming metric and window, on errors a smaller query cannot avoid', async () => {
    const c = stubClient({ hosts: ['a'], maxSeries: 10, maxPoints: 1e9 });
    c.queryRaw = async () => {
      throw new TsdHttpError('stub', 400, "No such name for 'metrics': 'm'");
    };
    await expect(fetchUnit(c, unit, cfg)).rejects.toThrow(/cannot read m \[1970-01-01T00:00:00.000Z .. 1970-01-01T00:59:59.999Z\].*No such name/);
    c.queryRaw = async () => {
      throw new TsdUnreachableError('stub', 'ECONNREFUSED', 'connect ECONNREFUSED');
    };
    await expect(fetchUnit(c, unit, cfg)).rejects.toThrow(/ECONNREFUSED/);
  });

  // A flaky source: the last of a query's retries failed with a reset or a 424. A smaller query gets
  // fresh retries, exactly as after a 5xx, instead of failing the metric.
  for (const [name, failure] of [
    ['a connection reset', new TsdUnreachableError('stub', 'ECONNRESET', 'read ECONNRESET')],
    ['a dropped socket', new TsdUnreachableError('stub', 'UND_ERR_SOCKET', 'other side closed')],
    ['an HTTP 424', new TsdHttpError('stub', 424, 'Failed Dependency')],
  ] as const) {
    it(`${name} after the retries splits the window and goes on, like a 5xx`, async () => {
      const c = stubClient({ hosts: ['a', 'b'], maxSeries: 100, maxPoints: 1e6 });
      const inner = c.queryRaw.bind(c);
      let failed = false;
      c.queryRaw = async (q: RawQuery) => {
        if (!failed) {
          failed = true;
          throw failure;
        }
        return inner(q);
      };
      const pieces = await fetchUnit(c, unit, cfg);
      expect(total(pieces)).toBe(120);
      expect(pieces.length).toBe(2);
    });
  }

  it('a refused connection is not split: the TSD is down, smaller queries will not help', async () => {
    const c = stubClient({ hosts: ['a'], maxSeries: 100, maxPoints: 1e6 });
    c.queryRaw = async () => {
      throw new TsdUnreachableError('stub', 'ECONNREFUSED', 'connect ECONNREFUSED');
    };
    await expect(fetchUnit(c, unit, cfg)).rejects.toMatchObject({ code: 'SOURCE_READ' });
  });

  describe('a unit with more series than one query may return (2.4.1 hangs on it)', () => {
    const few: FetchConfig = { ...cfg, maxSeriesPerQuery: 40 };
    const minute: QueryUnit = { ...unit, end: 60_000 - 1 };
    const hostsOf = (pieces: Array<{ series: Array<{ tags: Record<string, string> }> }>): string[] => pieces.flatMap((p) => p.series.map((s) => s.tags.host!));

    it('is counted first and split by series without any query that would hang', async () => {
      const hosts = Array.from({ length: 300 }, (_, i) => (i % 2 ? `web${i}` : `DB${i}`));
      const c = stubClient({ hosts, maxSeries: 40, maxPoints: 1e9, hang: true });
      const pieces = await fetchUnit(c, minute, few, { countSeries: true });
      expect(new Set(hostsOf(pieces)).size).toBe(300);
      expect(total(pieces)).toBe(300);
      expect(c.calls.every((q) => (q.filters ?? []).length > 0)).toBe(true);
    });

    it('after an uncounted window fails for its series (a hang ends as a timeout), its halves are counted first', async () => {
      // 2.4.1 does not fail such a query, it hangs until the client's timeout, which is retried and then taken
      // for a size problem: the window is halved. Each half holds about as many series, so uncounted halves
      // hung again at every level down to --min-window (about 127 hung queries from one hour to a minute).
      const hosts = Array.from({ length: 300 }, (_, i) => `h${i}`);
      const c = stubClient({ hosts, maxSeries: 40, maxPoints: 1e9 });
      const pieces = await fetchUnit(c, unit, few);
      expect(total(pieces)).toBe(300 * 60);
      const tooMany = c.calls.filter((q) => (q.filters ?? []).length === 0);
      expect(tooMany).toHaveLength(1);
    });

    it('is read whole, after one count, when it has few series', async () => {
      const c = stubClient({ hosts: ['a', 'b'], maxSeries: 40, maxPoints: 1e9, hang: true });
      const pieces = await fetchUnit(c, minute, few, { countSeries: true });
      expect(pieces).toHaveLength(1);
      expect(c.counts).toHaveLength(1);
    });

    it('is not queried when its scan holds many series but the unit itself no point (2.4.1 would still hang)', async () => {
      const hosts = Array.from({ length: 300 }, (_, i) => `h${i}`);
      const c = stubClient({ hosts, maxSeries: 40, maxPoints: 1e9, hang: true });
      c.countPoints = async () => 0;
      const pieces = await fetchUnit(c, minute, few, { countSeries: true });
      expect(total(pieces)).toBe(0);
      expect(c.calls).toEqual([]);
    });

    it('splits values that share a prefix past their separator ("w-00001")', async () => {
      const hosts = Array.from({ length: 300 }, (_, i) => `w-${String(i).padStart(5, '0')}`);
      const c = stubClient({ hosts, maxSeries: 40, maxPoints: 1e9, hang: true });
      const pieces = await fetchUnit(c, minute, few, { countSeries: true });
      expect(new Set(hostsOf(pieces)).size).toBe(300);
      // partitions that count no series are not queried
      expect(pieces.every((p) => p.series.length > 0)).toBe(true);
    });

    it('splits the series of one value of the split key by another key when that value alone has too many', async () => {
      // the sample makes `svc` the split key (most distinct values), but svc=big alone has 200 series
      const tagSets = [
        ...Array.from({ length: 60 }, (_, i) => ({ svc: `s${i}`, host: 'z' })),
        ...Array.from({ length: 200 }, (_, i) => ({ svc: 'big', host: `h${i}` })),
      ];
      const c = stubClient({ hosts: [], tagSets, maxSeries: 40, maxPoints: 1e9, hang: true });
      const pieces = await fetchUnit(c, minute, few, { countSeries: true });
      const got = pieces.flatMap((p) => p.series.map((s) => `${s.tags.svc}/${s.tags.host}`));
      expect(new Set(got).size).toBe(260);
      expect(got).toHaveLength(260);
    });
  });
});
