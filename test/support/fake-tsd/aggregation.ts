/**
 * Downsampling (net.opentsdb.core.Downsampler) and cross-series aggregation
 * (AggregationIterator) for the fake TSD.
 *
 * Exact for what backup tooling uses: "0all-<fn>" run-all downsampling (values in
 * [query start, query end) -- note: end EXCLUSIVE, unlike raw output -- one double per series at
 * the query start time) and aggregation of series whose points share timestamps.
 * Downsampled values are always doubles (Downsampler.isInteger() == false), so e.g.
 * sum over "0all-count" prints "42.0". Interpolation of misaligned series follows
 * AggregationIterator (LERP, ZIM = 0, MAX/MIN sentinels, PREV) within each series' first..last
 * point; fill policies other than none and calendar intervals are not modelled.
 */
import type { StoredValue } from './java-number.js';

export interface Point {
  ms: number;
  /** integer value (exact) when isInt */
  int?: bigint;
  num: number;
  isInt: boolean;
}

export function pointOf(ms: number, v: StoredValue): Point {
  return v.kind === 'int' ? { ms, int: v.int!, num: Number(v.int!), isInt: true } : { ms, num: v.num!, isInt: false };
}

type Interp = 'LERP' | 'ZIM' | 'MAX' | 'MIN' | 'PREV';

interface AggDef {
  interp: Interp;
  runDouble(values: number[]): number;
  runLong?(values: bigint[]): bigint;
}

const sumD = (v: number[]) => v.reduce((a, b) => a + b, 0);
const sumL = (v: bigint[]) =>
  BigInt.asIntN(
    64,
    v.reduce((a, b) => a + b, 0n),
  );

function dev(v: number[]): number {
  if (v.length === 1) return 0;
  // Welford, as Aggregators.StdDev
  let mean = 0;
  let m2 = 0;
  let n = 0;
  for (const x of v) {
    n++;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  return Math.sqrt(m2 / (n - 1));
}

export const AGGREGATORS: Record<string, AggDef> = {
  sum: { interp: 'LERP', runDouble: sumD, runLong: sumL },
  zimsum: { interp: 'ZIM', runDouble: sumD, runLong: sumL },
  pfsum: { interp: 'PREV', runDouble: sumD, runLong: sumL },
  count: { interp: 'ZIM', runDouble: (v) => v.length, runLong: (v) => BigInt(v.length) },
  min: { interp: 'LERP', runDouble: (v) => Math.min(...v), runLong: (v) => v.reduce((a, b) => (b < a ? b : a)) },
  max: { interp: 'LERP', runDouble: (v) => Math.max(...v), runLong: (v) => v.reduce((a, b) => (b > a ? b : a)) },
  mimmin: { interp: 'MAX', runDouble: (v) => Math.min(...v), runLong: (v) => v.reduce((a, b) => (b < a ? b : a)) },
  mimmax: { interp: 'MIN', runDouble: (v) => Math.max(...v), runLong: (v) => v.reduce((a, b) => (b > a ? b : a)) },
  avg: { interp: 'LERP', runDouble: (v) => sumD(v) / v.length, runLong: (v) => sumL(v) / BigInt(v.length) },
  first: { interp: 'ZIM', runDouble: (v) => v[0]!, runLong: (v) => v[0]! },
  last: { interp: 'ZIM', runDouble: (v) => v[v.length - 1]!, runLong: (v) => v[v.length - 1]! },
  mult: {
    interp: 'LERP',
    runDouble: (v) => v.reduce((a, b) => a * b, 1),
    runLong: (v) =>
      BigInt.asIntN(
        64,
        v.reduce((a, b) => a * b, 1n),
      ),
  },
  squareSum: {
    interp: 'ZIM',
    runDouble: (v) => v.reduce((a, b) => a + b * b, 0),
    runLong: (v) =>
      BigInt.asIntN(
        64,
        v.reduce((a, b) => a + b * b, 0n),
      ),
  },
  dev: { interp: 'LERP', runDouble: dev },
};

/** Every aggregator name /api/aggregators lists (Aggregators.set(), HashMap order of 2.4.1). */
export const AGGREGATOR_NAMES = [
  'mult',
  'p90',
  'zimsum',
  'mimmax',
  'sum',
  'p50',
  'none',
  'p95',
  'ep99r7',
  'pfsum',
  'p75',
  'p99',
  'ep99r3',
  'ep95r7',
  'min',
  'avg',
  'ep75r7',
  'dev',
  'ep95r3',
  'ep75r3',
  'ep50r7',
  'ep90r7',
  'mimmin',
  'p999',
  'ep50r3',
  'ep90r3',
  'ep999r7',
  'last',
  'max',
  'count',
  'diff',
  'median',
  'squareSum',
  'ep999r3',
  'first',
];

export interface DownsampleSpec {
  text: string;
  runAll: boolean;
  intervalMs: number;
  fn: string;
  fill: string;
}

/**
 * The raw points of one series as aggregator "none" prints them. AggregationIterator.isInteger()
 * looks at the buffered current AND next point: an integer followed by a floating point value
 * in the series is printed as a double (real 2.4.1: 3 then 1.0E-300 prints "3.0").
 */
export function rawPoints(points: Point[]): Point[] {
  return points.map((p, i) => {
    const next = points[i + 1];
    return p.isInt && next && !next.isInt ? { ms: p.ms, num: p.num, isInt: false } : p;
  });
}

/** Downsampler over one series' points (all points of the scanned rows, sorted). */
export function downsample(points: Point[], ds: DownsampleSpec, queryStart: number, queryEnd: number): Point[] {
  const agg = AGGREGATORS[ds.fn];
  if (!agg) throw new Error(`fake-tsd: downsampling function ${ds.fn} is not implemented`);
  if (ds.runAll) {
    const vals: number[] = [];
    for (const p of points) {
      if (p.ms < queryStart) continue;
      if (p.ms >= queryEnd) break;
      vals.push(p.num);
    }
    return vals.length === 0 ? [] : [{ ms: queryStart, num: agg.runDouble(vals), isInt: false }];
  }
  const out: Point[] = [];
  let bucket = NaN;
  let vals: number[] = [];
  for (const p of points) {
    const b = p.ms - (p.ms % ds.intervalMs);
    if (b !== bucket && vals.length > 0) {
      out.push({ ms: bucket, num: agg.runDouble(vals), isInt: false });
      vals = [];
    }
    bucket = b;
    vals.push(p.num);
  }
  if (vals.length > 0) out.push({ ms: bucket, num: agg.runDouble(vals), isInt: false });
  return out;
}

function lerpLong(x: number, x0: number, y0: bigint, x1: number, y1: bigint): bigint {
  return y0 + (BigInt(x - x0) * (y1 - y0)) / BigInt(x1 - x0);
}

/** AggregationIterator over the given spans (each sorted by ms). */
export function aggregate(spans: Point[][], aggName: string): Point[] {
  const agg = AGGREGATORS[aggName];
  if (!agg) throw new Error(`fake-tsd: aggregator ${aggName} is not implemented`);
  const times = [...new Set(spans.flatMap((s) => s.map((p) => p.ms)))].sort((a, b) => a - b);
  const cursors = spans.map(() => 0);
  const out: Point[] = [];
  for (const x of times) {
    const vals: Array<{ d: number; l?: bigint; isInt: boolean }> = [];
    let allInt = true;
    spans.forEach((s, i) => {
      if (s.length === 0) return;
      while (cursors[i]! < s.length && s[cursors[i]!]!.ms < x) cursors[i]!++;
      const c = cursors[i]!;
      const next = s[c];
      const prev = c > 0 ? s[c - 1] : undefined;
      // buffered values decide integer-ness (AggregationIterator.isInteger)
      if (next && !next.isInt) allInt = false;
      if (prev && !prev.isInt && next && next.ms !== x) allInt = false;
      if (next && next.ms === x) {
        vals.push({ d: next.num, l: next.int, isInt: next.isInt });
        const after = s[c + 1];
        if (after && !after.isInt) allInt = false;
        return;
      }
      if (!prev || !next) return; // before the first or after the last point: not included
      switch (agg.interp) {
        case 'LERP':
          vals.push({
            d: prev.num + ((x - prev.ms) * (next.num - prev.num)) / (next.ms - prev.ms),
            l: prev.isInt && next.isInt ? lerpLong(x, prev.ms, prev.int!, next.ms, next.int!) : undefined,
            isInt: prev.isInt && next.isInt,
          });
          break;
        case 'ZIM':
          vals.push({ d: 0, l: 0n, isInt: true });
          break;
        case 'MAX':
          vals.push({ d: Number.MAX_VALUE, l: (1n << 63n) - 1n, isInt: true });
          break;
        case 'MIN':
          vals.push({ d: -Number.MAX_VALUE, l: -(1n << 63n), isInt: true });
          break;
        case 'PREV':
          vals.push({ d: prev.num, l: prev.int, isInt: prev.isInt });
          break;
      }
    });
    if (vals.length === 0) continue;
    if (allInt && agg.runLong && vals.every((v) => v.isInt && v.l !== undefined)) {
      const l = agg.runLong(vals.map((v) => v.l!));
      out.push({ ms: x, int: l, num: Number(l), isInt: true });
    } else {
      out.push({ ms: x, num: agg.runDouble(vals.map((v) => v.d)), isInt: false });
    }
  }
  return out;
}
