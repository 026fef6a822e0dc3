// The points a restore of a backup would write: its chain's chunks, each read and checked as restore
// reads it, kept only where restore-plan.ts says that backup speaks for the metric and time. They are
// planned for the whole chain but loaded one metric at a time, so that diff and compare hold one
// metric's points (of each side) at once, whatever the size of the backup.

import { throwIfAborted } from '../errors.js';
import { selectMetrics } from '../fetch/metric-selection.js';
import type { Manifest } from '../format/manifest.js';
import { silentProgress, type ProgressReporter } from '../progress.js';
import type { Repository } from '../repository/repository.js';
import type { Interval } from '../repository/time-intervals.js';
import { readVerifiedChunk } from '../restore/chunk-reader.js';
import { planRestore, type PlannedChunk } from '../restore/restore-plan.js';
import { addSeries, type PointSet } from './point-set.js';

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

/** Reads the planned chunks of one metric (reporting each as a `chunk` progress event). */
export async function loadMetricPoints(
  repo: Repository,
  plan: ChainPointsPlan,
  metric: string,
  deps: { signal?: AbortSignal; progress?: ProgressReporter } = {},
): Promise<PointSet> {
  const progress = deps.progress ?? silentProgress;
  const set: PointSet = new Map();
  for (const { entry, intervals } of plan.byMetric.get(metric) ?? []) {
    throwIfAborted(deps.signal);
    const chunk = await readVerifiedChunk(repo, entry, deps.signal);
    addSeries(set, chunk.metric, chunk.series, intervals);
    progress({ type: 'chunk', metric, points: entry.points, bytes: entry.bytes, series: entry.series });
  }
  return set;
}
