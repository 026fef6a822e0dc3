// Compares the points a restore writes from one chunk with what the target holds at the same series and
// times, point for point: timestamps in ms, value kinds, values bit for bit (as their exact token).
// restore --verify runs it after writing a chunk; the conflict check before writing (a point the target
// already holds with another value or kind would make OpenTSDB answer "Duplicate timestamp") first asks
// the target for a count, which is cheap, and reads exact points only where it holds some.
// The target is read as the backup reads its source (fetch/bounded-read.ts): counted first and split by
// series when it holds more than one query may return. A chunk's tag filters bounded its series on the
// source, not on the target (it may hold the metric wider, and a tag map drops the filters), and past
// that count OpenTSDB 2.4.1 hangs instead of answering.

import { TsdbBackupError } from '../errors.js';
import { readBounded } from '../fetch/bounded-read.js';
import { settleAgainst } from '../fetch/kind-inference.js';
import { formatValueToken, type IntValue, type ValueKind } from '../format/point-value.js';
import { seriesKey, type Series } from '../format/series.js';
import type { TsdClient } from '../opentsdb/client.js';
import { isDuplicateTimestamp, isUnknownName } from '../opentsdb/errors.js';
import type { TagFilter } from '../opentsdb/tag-filter.js';
import { inIntervals, type Interval } from '../repository/time-intervals.js';
import { minOf } from '../numbers/extremes.js';
import type { ProgressReporter } from '../progress.js';

/** The points of one chunk as the target should hold them (after renames, tag maps and shift). */
export interface ExpectedPoints {
  metric: string;
  series: readonly Series[];
  intervals: readonly Interval[];
  /** Tag filters that select the chunk's series on the target (absent: the whole metric is read). */
  filters?: readonly TagFilter[];
}

/** One point that is not the same on both sides; a null token means "no point there". */
export interface PointDifference {
  metric: string;
  series: string;
  timestamp: number;
  backup: string | null;
  target: string | null;
}

export interface ChunkComparison {
  /** Points of the backup compared. */
  compared: number;
  /** Backup points the target lacks, holds with another value or kind, and target points the backup lacks, in the compared series and times. */
  missing: number;
  changed: number;
  extra: number;
  /** The first differences, for the report. */
  differences: PointDifference[];
  /** The target cannot answer for these points: a series of the metric already holds two values at one time. */
  unreadable?: UnreadableRange;
}

/** A time range of a metric whose reads fail on the target with "Duplicate timestamp". */
export interface UnreadableRange {
  metric: string;
  start: number;
  end: number;
  error: string;
}

class UnreadableTarget extends Error {
  constructor(readonly range: UnreadableRange) {
    super(range.error);
  }
}

export const MAX_DIFFERENCES_PER_CHUNK = 10;

/** The span of the intervals; at least 2 ms, since the TSD refuses a query whose end equals its start. */
function span(intervals: readonly Interval[]): Interval {
  const start = minOf(intervals.map((i) => i.start));
  return { start, end: Math.max(start + 1, ...intervals.map((i) => i.end)) };
}

/** Points of the target in the chunk's series and intervals, by series key, as "ts -> token". */
async function readTarget(
  client: TsdClient,
  expected: ExpectedPoints,
  opts: { signal?: AbortSignal; progress?: ProgressReporter },
): Promise<Map<string, Map<number, string>>> {
  const out = new Map<string, Map<number, string>>();
  const { start, end } = span(expected.intervals);
  let series;
  try {
    series = await readBounded(client, { metric: expected.metric, start, end, filters: [...(expected.filters ?? [])] }, opts);
  } catch (err) {
    if (isUnknownName(err)) return out; // the target lacks the metric or a tag name: it holds none of these points
    if (isDuplicateTimestamp(err)) throw new UnreadableTarget({ metric: expected.metric, start, end, error: (err as Error).message });
    if (err instanceof TsdbBackupError && err.code === 'INTERRUPTED') throw err;
    throw new TsdbBackupError('TSD_HTTP', `cannot read ${expected.metric} back from ${client} to compare it with the backup: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const ours = new Map<string, Map<number, { kind: ValueKind; value: IntValue }>>();
  for (const s of expected.series) {
    const points = new Map<number, { kind: ValueKind; value: IntValue }>();
    s.timestamps.forEach((ts, i) => points.set(ts, { kind: s.kinds[i]!, value: s.values[i]! }));
    ours.set(seriesKey(expected.metric, s.tags), points);
  }
  for (const s of series) {
    const key = seriesKey(expected.metric, s.tags);
    // An integer right before a float prints as a double: what the answer proves, and else the backup's
    // integer of the same value (fetch/kind-inference.ts).
    const held = ours.get(key);
    settleAgainst(s, (ts) => held?.get(ts));
    const points = new Map<number, string>();
    out.set(key, points);
    s.timestamps.forEach((ts, i) => {
      if (inIntervals(ts, expected.intervals)) points.set(ts, formatValueToken(s.kinds[i]!, s.values[i]!));
    });
  }
  return out;
}

/**
 * Compares the expected points with the target. `onlyChanged` (the conflict check) ignores points missing
 * on either side: only a point at the same series and time with another value or kind is a conflict.
 */
export async function compareWithTarget(
  client: TsdClient,
  expected: ExpectedPoints,
  opts: { onlyChanged?: boolean; signal?: AbortSignal; progress?: ProgressReporter } = {},
): Promise<ChunkComparison> {
  const result: ChunkComparison = { compared: 0, missing: 0, changed: 0, extra: 0, differences: [] };
  if (expected.intervals.length === 0) return result;
  const note = (d: PointDifference): void => {
    if (result.differences.length < MAX_DIFFERENCES_PER_CHUNK) result.differences.push(d);
  };
  if (opts.onlyChanged) {
    // Cheap first: a count over the whole span; no point there, no conflict.
    const { start, end } = span(expected.intervals);
    let n: number;
    try {
      n = await client.countPoints({ metric: expected.metric, start, end, filters: expected.filters }, { signal: opts.signal });
    } catch (err) {
      if (isUnknownName(err)) return result;
      if (isDuplicateTimestamp(err)) return { ...result, unreadable: { metric: expected.metric, start, end, error: (err as Error).message } };
      throw err;
    }
    if (n === 0) return result;
  }
  let target;
  try {
    target = await readTarget(client, expected, { signal: opts.signal, progress: opts.progress });
  } catch (err) {
    if (!(err instanceof UnreadableTarget)) throw err;
    return { ...result, unreadable: err.range };
  }
  for (const s of expected.series) {
    const key = seriesKey(expected.metric, s.tags);
    const held = target.get(key) ?? new Map<number, string>();
    for (let i = 0; i < s.timestamps.length; i++) {
      const ts = s.timestamps[i]!;
      if (!inIntervals(ts, expected.intervals)) continue;
      result.compared++;
      const mine = formatValueToken(s.kinds[i]!, s.values[i]!);
      const theirs = held.get(ts);
      held.delete(ts);
      if (theirs === mine) continue;
      if (theirs === undefined) {
        if (opts.onlyChanged) continue;
        result.missing++;
      } else result.changed++;
      note({ metric: expected.metric, series: key, timestamp: ts, backup: mine, target: theirs ?? null });
    }
    if (opts.onlyChanged) continue;
    for (const [ts, token] of held) {
      result.extra++;
      note({ metric: expected.metric, series: key, timestamp: ts, backup: null, target: token });
    }
  }
  return result;
}
