// Going back in time, a metric's history usually ends in empty windows: a metric with a UID and no data,
// or one idle for months, would otherwise be walked back window by window to 1970 (thousands of
// queries). When a window comes back empty, this asks the TSD where older data is, with count
// downsamples (sum of per-bucket counts over every series), and tells the walk where to resume, or that
// nothing older exists. It only ever skips time that a count proved empty: a missing bucket proves no
// point, a present one only "maybe some" (the TSD counts a few points past the end; see countBuckets).
//
// Each probe covers a range `GROWTH` times larger than the one before, starting from about the size of
// the walk's windows, rather than the whole older history at once: the TSD loads every row of a
// query's range into memory before counting, so one probe over decades of a metric that was dense long
// ago would be as heavy as reading all of it at once. For a metric without data, 2026 back to 1970
// takes 4 probes from a 28-day start, and one raw query for January and February 1970.

import type { CallOptions, TsdClient } from '../opentsdb/client.js';
import { TsdNamelessSeriesError } from '../opentsdb/errors.js';
import { SECONDS_BY_VALUE_MS } from '../opentsdb/query-time.js';

const HOUR = 3_600_000;
/** Buckets per probe: enough to land near the data, few enough for a tiny answer. */
const BUCKETS = 64;
const GROWTH = 16;
// Probes never reach below 1970-02-19T18:00Z (SECONDS_BY_VALUE_MS, 1194 h): points stored before it
// make OpenTSDB 2.4.1 drop whole series from a count (measured), so a count there proves nothing. That
// stretch is read by the walk in one raw query, which fails loudly if the TSD cannot answer it. A probe
// that would start below it starts at it, with buckets that divide 1194 h so that it is a boundary.
const LOW = SECONDS_BY_VALUE_MS;
const LOW_DIVISORS_H = [1, 2, 3, 6, 199, 398, 597, 1194];

export interface OlderData {
  queries: number;
  /** Where the next window should end (inclusive), and the density seen there; absent: no older data. */
  resume?: { end: number; bucketMs: number; bucketPoints: number };
}

/**
 * Looks for points in [floor, end], newest first, in probes that start at `firstReachMs`, and narrows
 * down to buckets of at most `fineMs` (default a day) before telling where to resume.
 */
export async function findOlderData(
  client: Pick<TsdClient, 'countBuckets'>,
  metric: string,
  range: { floor: number; end: number },
  firstReachMs: number,
  opts: CallOptions & { fineMs?: number } = {},
): Promise<OlderData> {
  const fineMs = Math.max(HOUR, opts.fineMs ?? 86_400_000);
  const floor = Math.max(range.floor, LOW);
  // Below LOW: the walk reads it in one raw query (a window of 4 x LOW covers it).
  const readBelow = { bucketMs: LOW, bucketPoints: 0 };
  if (range.end < floor) return { queries: 0, ...(range.end >= range.floor ? { resume: { end: range.end, ...readBelow } } : {}) };
  let probeEnd = range.end;
  // Whole milliseconds: a reach computed from a density is fractional, and OpenTSDB reads only integers.
  let reach = Math.ceil(Math.max(HOUR, firstReachMs));
  let lastBucketMs = Infinity;
  for (let queries = 1; ; queries++) {
    const from = Math.max(floor, probeEnd - reach + 1);
    let bucketMs = Math.max(HOUR, Math.ceil((probeEnd - from + 1) / BUCKETS / HOUR) * HOUR);
    // Buckets are aligned on multiples of their size and the one that begins before the query's start
    // is dropped, so the query starts on a boundary (counting a little before `from` is harmless).
    let alignedFrom = Math.floor(from / bucketMs) * bucketMs;
    if (alignedFrom < LOW) {
      bucketMs = (LOW_DIVISORS_H.find((h) => h * HOUR >= bucketMs) ?? 1194) * HOUR;
      alignedFrom = Math.max(LOW, Math.floor(from / bucketMs) * bucketMs);
    }
    let buckets: Array<{ ts: number; count: number }>;
    try {
      buckets = await client.countBuckets({ metric, start: alignedFrom, end: Math.max(probeEnd, alignedFrom + 1) }, bucketMs, opts);
    } catch (err) {
      // The TSD cannot count this range (points before 1970-02-19 poison it): nothing is proven, so
      // the walk goes on window by window from here, and its own queries fail loudly if they must.
      if (err instanceof TsdNamelessSeriesError) return { queries, resume: { end: probeEnd, bucketMs: reach, bucketPoints: 1 } };
      throw err;
    }
    // A bucket that begins after the probe's end or ends before the floor holds nothing of the range
    // (the TSD may have been asked for more than the range, see query-time.ts).
    const inRange = (ts: number): boolean => ts <= probeEnd && ts + 2 * bucketMs > floor;
    const newest = buckets.filter((b) => b.count > 0 && inRange(b.ts)).sort((a, b) => b.ts - a.ts)[0];
    if (newest) {
      // One bucket of margin, in case the TSD placed a bucket's timestamp anywhere in it. Everything
      // after `end` up to probeEnd is proven empty.
      const end = Math.min(probeEnd, newest.ts + 2 * bucketMs - 1);
      // Near LOW the buckets cannot always be made finer (they must divide 1194 h): then go with them.
      if (bucketMs <= fineMs || bucketMs >= lastBucketMs) return { queries, resume: { end, bucketMs, bucketPoints: newest.count } };
      lastBucketMs = bucketMs;
      // Too coarse to start a window at (a window there would likely come back empty): count again
      // in finer buckets over the three bucket widths that hold the data.
      probeEnd = end;
      reach = 3 * bucketMs;
      continue;
    }
    if (from <= floor) return range.floor < LOW ? { queries, resume: { end: LOW - 1, ...readBelow } } : { queries };
    probeEnd = from - 1;
    reach *= GROWTH;
  }
}
