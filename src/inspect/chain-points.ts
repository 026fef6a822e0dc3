// The points a restore of a backup would write: its chain's chunks, each read and checked as restore
// reads it, kept only where restore-plan.ts says that backup speaks for the metric and time. They are
// planned for the whole chain but loaded one metric and one time slice at a time (slices of about
// SLICE_POINTS points), so that diff and compare hold a bounded number of points whatever the size of
// the backup or of one metric. A chunk that reaches into the next slice stays decoded until it is passed.

import { throwIfAborted } from '../errors.js';
import { selectMetrics } from '../fetch/metric-selection.js';
import type { Manifest } from '../format/manifest.js';
import { silentProgress, type ProgressReporter } from '../progress.js';
import type { Repository } from '../repository/repository.js';
import { clipIntervals, type Interval } from '../repository/time-intervals.js';
import { readVerifiedChunk } from '../restore/chunk-reader.js';
import { planRestore, type PlannedChunk } from '../restore/restore-plan.js';
import type { Series } from '../format/series.js';
import { addSeries, type PointSet } from './point-set.js';
import { maxOf } from '../numbers/extremes.js';

/** Points of one side loaded at once, about (plus the chunks that reach over a slice's edge). */
export const SLICE_POINTS = 200_000;

export interface ChainPointsOptions {
  /** Metric patterns (default every metric). */
  metrics?: string[];
  range?: Interval;
}

export interface ChainPointsPlan {
  /** Metric -> the chunks to read for it, oldest backup first (so that the newer value of a point stays, as in a restore). */
  byMetric: Map<string, PlannedChunk[]>;
  chunks: number;
  /** Points the planned chunks hold (some may lie outside the times they are read for). */
  points: number;
}

export function planChainPoints(chain: readonly Manifest[], opts: ChainPointsOptions = {}): ChainPointsPlan {
  const selection = selectMetrics(opts.metrics ?? []);
  const range = opts.range ?? { start: Number.MIN_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER };
  const byMetric = new Map<string, PlannedChunk[]>();
  let [chunks, points] = [0, 0];
  for (const step of planRestore(chain, selection, range)) {
    for (const planned of step.chunks) {
      const list = byMetric.get(planned.entry.metric) ?? [];
      list.push(planned);
      byMetric.set(planned.entry.metric, list);
      chunks++;
      points += planned.entry.points;
    }
  }
  return { byMetric, chunks, points };
}

/** The times a planned chunk's points are read for: from its first interval's start to its last one's end. */
function spanOf(c: PlannedChunk): Interval {
  return { start: c.intervals[0]!.start, end: c.intervals.at(-1)!.end };
}

/**
 * Consecutive time slices covering `chunks` (of one metric, one side or both), each reached by chunks of
 * about `budget` points at most; a slice ends only where a chunk starts, so a slice may hold more when
 * chunks start together. Empty when there are no chunks.
 */
export function timeSlices(chunks: readonly PlannedChunk[], budget = SLICE_POINTS): Interval[] {
  if (chunks.length === 0) return [];
  const spans = chunks.map((c) => ({ ...spanOf(c), points: c.entry.points })).sort((a, b) => a.start - b.start);
  const end = maxOf(spans.map((x) => x.end));
  const slices: Interval[] = [];
  let [start, held] = [spans[0]!.start, 0];
  for (let i = 0; i < spans.length; i++) {
    held += spans[i]!.points;
    const next = spans[i + 1];
    if (next && held >= budget && next.start > spans[i]!.start) {
      slices.push({ start, end: next.start - 1 });
      [start, held] = [next.start, 0];
    }
  }
  slices.push({ start, end });
  return slices;
}

/** Decoded chunks of one metric that may still be needed by a later slice (slices go forward in time). */
export type ChunkCache = Map<PlannedChunk, Series[]>;

/**
 * The points of `chunks` (one side of one metric, oldest backup first) within `slice`. A chunk decoded
 * for the first time is reported as a `chunk` progress event; with a cache, the chunks that reach past
 * the slice are kept for the next one and the others dropped.
 */
export async function loadSlicePoints(
  repo: Repository,
  metric: string,
  chunks: readonly PlannedChunk[],
  slice: Interval,
  deps: { signal?: AbortSignal; progress?: ProgressReporter; cache?: ChunkCache } = {},
): Promise<PointSet> {
  const progress = deps.progress ?? silentProgress;
  const set: PointSet = new Map();
  // Slices go forward: a kept chunk that ends before this one is not needed any more.
  for (const c of deps.cache?.keys() ?? []) if (spanOf(c).end < slice.start) deps.cache!.delete(c);
  for (const c of chunks) {
    const span = spanOf(c);
    if (span.end < slice.start || span.start > slice.end) continue;
    let series = deps.cache?.get(c);
    if (!series) {
      throwIfAborted(deps.signal);
      series = (await readVerifiedChunk(repo, c.entry, deps.signal)).series;
      if (span.start >= slice.start) progress({ type: 'chunk', metric, points: c.entry.points, bytes: c.entry.bytes, series: c.entry.series });
    }
    if (deps.cache) {
      if (span.end > slice.end) deps.cache.set(c, series);
      else deps.cache.delete(c);
    }
    addSeries(set, metric, series, clipIntervals(c.intervals, slice));
  }
  return set;
}
