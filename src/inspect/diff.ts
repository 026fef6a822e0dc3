// diff: what changed between two backups, each read with its chain as a restore would see it.
// Left is the first backup, right the second: "added" is only in the second, "removed" only in the first.

import type { Repository } from '../repository/repository.js';
import type { Interval } from '../repository/time-intervals.js';
import { chooseBackupChain } from './backup-chain.js';
import { loadChainPoints } from './chain-points.js';
import { diffPointSets, isEqual, type PointDifference } from './point-diff.js';

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

export async function diffBackups(opts: DiffOptions, deps: { repository: Repository; signal?: AbortSignal }): Promise<DiffResult> {
  const { repository: repo, signal } = deps;
  const a = await chooseBackupChain(repo, { backupId: opts.from }, signal);
  const b = await chooseBackupChain(repo, { backupId: opts.to }, signal);
  const load = { metrics: opts.metrics, range: opts.range };
  const left = await loadChainPoints(repo, a.chain, load, signal);
  const right = await loadChainPoints(repo, b.chain, load, signal);
  const d = diffPointSets(left, right, opts.examples ?? DEFAULT_EXAMPLES);
  const metricsOf = (set: typeof left): Set<string> => new Set([...set.values()].map((s) => s.metric));
  const [leftMetrics, rightMetrics] = [metricsOf(left), metricsOf(right)];
  return {
    from: { backupId: a.target.id, chain: a.chain.map((m) => m.id) },
    to: { backupId: b.target.id, chain: b.chain.map((m) => m.id) },
    equal: isEqual(d),
    metricsAdded: [...rightMetrics].filter((m) => !leftMetrics.has(m)).sort(),
    metricsRemoved: [...leftMetrics].filter((m) => !rightMetrics.has(m)).sort(),
    metrics: d.metrics
      .map((m) => ({ metric: m.metric, seriesAdded: m.seriesOnlyRight, seriesRemoved: m.seriesOnlyLeft, pointsAdded: m.pointsOnlyRight, pointsRemoved: m.pointsOnlyLeft, pointsChanged: m.pointsChanged }))
      .filter((m) => m.seriesAdded + m.seriesRemoved + m.pointsAdded + m.pointsRemoved + m.pointsChanged > 0),
    examples: d.examples,
  };
}
