// diff: what changed between two backups, each read with its chain as a restore would see it.
// Left is the first backup, right the second: "added" is only in the second, "removed" only in the first.
// Metric by metric (in name order): both sides of one metric are loaded, compared and dropped, so memory
// is bounded by the largest metric, not by the backup.

import { silentProgress, type ProgressReporter } from '../progress.js';
import type { Repository } from '../repository/repository.js';
import type { Interval } from '../repository/time-intervals.js';
import { chooseBackupChain } from './backup-chain.js';
import { loadMetricPoints, planChainPoints } from './chain-points.js';
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
    const left = await loadMetricPoints(repo, leftPlan, metric, { signal, progress });
    const right = await loadMetricPoints(repo, rightPlan, metric, { signal, progress });
    if (left.size > 0) leftMetrics.add(metric);
    if (right.size > 0) rightMetrics.add(metric);
    diffPointSets(left, right, opts.examples ?? DEFAULT_EXAMPLES, d);
    progress({ type: 'metric-done', metric, points: pointCount(left) + pointCount(right) });
  }
  return {
    from: { backupId: a.target.id, chain: a.chain.map((m) => m.id) },
    to: { backupId: b.target.id, chain: b.chain.map((m) => m.id) },
    equal: isEqual(d),
    metricsAdded: [...rightMetrics].filter((m) => !leftMetrics.has(m)),
    metricsRemoved: [...leftMetrics].filter((m) => !rightMetrics.has(m)),
    metrics: d.metrics
      .map((m) => ({ metric: m.metric, seriesAdded: m.seriesOnlyRight, seriesRemoved: m.seriesOnlyLeft, pointsAdded: m.pointsOnlyRight, pointsRemoved: m.pointsOnlyLeft, pointsChanged: m.pointsChanged }))
      .filter((m) => m.seriesAdded + m.seriesRemoved + m.pointsAdded + m.pointsRemoved + m.pointsChanged > 0),
    examples: d.examples,
  };
}
