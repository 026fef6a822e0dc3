// The points a restore of a backup would write: its chain's chunks, each read and checked as restore
// reads it, kept only where restore-plan.ts says that backup speaks for the metric and time.

import { throwIfAborted } from '../errors.js';
import { selectMetrics } from '../fetch/metric-selection.js';
import type { Manifest } from '../format/manifest.js';
import type { Repository } from '../repository/repository.js';
import type { Interval } from '../repository/time-intervals.js';
import { readVerifiedChunk } from '../restore/chunk-reader.js';
import { planRestore } from '../restore/restore-plan.js';
import { addSeries, type PointSet } from './point-set.js';

export interface ChainPointsOptions {
  /** Metric patterns (default every metric). */
  metrics?: string[];
  range?: Interval;
}

export async function loadChainPoints(repo: Repository, chain: readonly Manifest[], opts: ChainPointsOptions = {}, signal?: AbortSignal): Promise<PointSet> {
  const selection = selectMetrics(opts.metrics ?? []);
  const range = opts.range ?? { start: Number.MIN_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER };
  const set: PointSet = new Map();
  // Oldest first, so that where two backups hold a point the newer one's value stays (as in a restore).
  for (const step of planRestore(chain, selection, range)) {
    for (const { entry, intervals } of step.chunks) {
      throwIfAborted(signal);
      const chunk = await readVerifiedChunk(repo, entry, signal);
      addSeries(set, chunk.metric, chunk.series, intervals);
    }
  }
  return set;
}
