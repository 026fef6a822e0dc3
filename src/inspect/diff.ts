// diff: what changed between two backups, each read with its chain as a restore would see it.
// Left is the first backup, right the second: "added" is only in the second, "removed" only in the first.
// Metric by metric (in name order) and time slice by time slice (chain-points.ts): both sides of one slice
// are loaded, compared and dropped, so memory is bounded by a slice, not by the backup or its largest
// metric. Only the keys of the metric's series are kept across its slices, to count the series added
// and removed.

import { silentProgress, type ProgressReporter } from '../progress.js';
import type { Repository } from '../repository/repository.js';
import type { Interval } from '../repository/time-intervals.js';
import { chooseBackupChain } from './backup-chain.js';
import { loadSlicePoints, planChainPoints, SLICE_POINTS, timeSlices, type ChunkCache } from './chain-points.js';
import { pointCount } from './point-set.js';
import { diffPointSets, isEqual, type PointDifference, type PointSetDiff } from './point-diff.js';

export const DEFAULT_EXAMPLES = 20;

export interface DiffOptions {
  from: string;
  to: string;
  metrics?: string[];
  range?: Interval;
  /** How many differences to list (the counts are always complete). */
  examples?: number;
  /** Points per side loaded at once, about (default SLICE_POINTS). */
  slicePoints?: number;
}

export interface MetricChanges {
  metric: string;
  seriesAdded: number;
  seriesRemoved: number;
  pointsAdded: number;
  pointsRemoved: number;
  pointsChanged: number;
}

export interface DiffResult {
  from: { backupId: string; chain: string[] };
  to: { backupId: string; chain: string[] };
  equal: boolean;
  metricsAdded: string[];
  metricsRemoved: string[];
  /** Only the metrics that differ. */
  metrics: MetricChanges[];
  /** The first differences; `side` onlyLeft = removed, onlyRight = added. */
  examples: PointDifference[];
}

export async function diffBackups(opts: DiffOptions, deps: { repository: Repository; signal?: AbortSignal; progress?: ProgressReporter }): Promise<DiffResult> {
  const { repository: repo, signal } = deps;
  const progress = deps.progress ?? silentProgress;
  const a = await chooseBackupChain(repo, { backupId: opts.from }, signal);
  const b = await chooseBackupChain(repo, { backupId: opts.to }, signal);
  const load = { metrics: opts.metrics, range: opts.range };
  const [leftPlan, rightPlan] = [planChainPoints(a.chain, load), planChainPoints(b.chain, load)];
  const names = [...new Set([...leftPlan.byMetric.keys(), ...rightPlan.byMetric.keys()])].sort();
  progress({ type: 'plan', metrics: names.length, chunks: leftPlan.chunks + rightPlan.chunks, points: leftPlan.points + rightPlan.points });
  const d: PointSetDiff = { metrics: [], examples: [] };
  const [leftMetrics, rightMetrics] = [new Set<string>(), new Set<string>()];
  for (const metric of names) {
    const [leftChunks, rightChunks] = [leftPlan.byMetric.get(metric) ?? [], rightPlan.byMetric.get(metric) ?? []];
    const [leftCache, rightCache]: ChunkCache[] = [new Map(), new Map()];
    const [leftKeys, rightKeys] = [new Set<string>(), new Set<string>()];
    // The examples go straight into the result; the per-metric counts are summed here.
    const m: PointSetDiff = { metrics: [], examples: d.examples };
    let points = 0;
    for (const slice of timeSlices([...leftChunks, ...rightChunks], opts.slicePoints ?? SLICE_POINTS)) {
      const left = await loadSlicePoints(repo, metric, leftChunks, slice, { signal, progress, cache: leftCache });
      const right = await loadSlicePoints(repo, metric, rightChunks, slice, { signal, progress, cache: rightCache });
      for (const k of left.keys()) leftKeys.add(k);
      for (const k of right.keys()) rightKeys.add(k);
      diffPointSets(left, right, opts.examples ?? DEFAULT_EXAMPLES, m);
      points += pointCount(left) + pointCount(right);
    }
    if (leftKeys.size > 0) leftMetrics.add(metric);
    if (rightKeys.size > 0) rightMetrics.add(metric);
    const counts = m.metrics[0];
    if (counts) {
      // A series is added or removed when no slice of the other side holds it.
      counts.seriesOnlyLeft = [...leftKeys].filter((k) => !rightKeys.has(k)).length;
      counts.seriesOnlyRight = [...rightKeys].filter((k) => !leftKeys.has(k)).length;
      d.metrics.push(counts);
    }
    progress({ type: 'metric-done', metric, points });
  }
  return {
    from: { backupId: a.target.id, chain: a.chain.map((m) => m.id) },
    to: { backupId: b.target.id, chain: b.chain.map((m) => m.id) },
    equal: isEqual(d),
    metricsAdded: [...rightMetrics].filter((m) => !leftMetrics.has(m)),
    metricsRemoved: [...leftMetrics].filter((m) => !rightMetrics.has(m)),
    metrics: d.metrics
      .map((m) => ({
        metric: m.metric,
        seriesAdded: m.seriesOnlyRight,
        seriesRemoved: m.seriesOnlyLeft,
        pointsAdded: m.pointsOnlyRight,
        pointsRemoved: m.pointsOnlyLeft,
        pointsChanged: m.pointsChanged,
      }))
      .filter((m) => m.seriesAdded + m.seriesRemoved + m.pointsAdded + m.pointsRemoved + m.pointsChanged > 0),
    examples: d.examples,
  };
}
