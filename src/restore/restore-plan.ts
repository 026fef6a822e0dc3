// What a restore writes: for each backup of the chain, the chunks it reads and, per chunk, the times
// whose points it writes (the chain coverage rule of chain-coverage.ts, within the restore's --start/--end).

import type { MetricSelection } from '../fetch/metric-selection.js';
import type { ChunkEntry, Manifest } from '../format/manifest.js';
import { ChainCoverage } from '../repository/chain-coverage.js';
import { clipIntervals, type Interval } from '../repository/time-intervals.js';

export interface PlannedChunk {
  entry: ChunkEntry;
  /** Points of the chunk are written only inside these intervals. */
  intervals: Interval[];
}

export interface RestoreStep {
  manifest: Manifest;
  chunks: PlannedChunk[];
}

export function planRestore(chain: readonly Manifest[], selection: MetricSelection, range: Interval): RestoreStep[] {
  const coverage = new ChainCoverage(chain);
  return chain.map((manifest, index) => {
    const chunks: PlannedChunk[] = [];
    for (const entry of manifest.chunks) {
      if (!selection.matches(entry.metric)) continue;
      const bounds = { start: Math.max(range.start, entry.firstTimestamp ?? entry.start), end: Math.min(range.end, entry.lastTimestamp ?? entry.end) };
      const intervals = clipIntervals(coverage.ownedBy(index, entry.metric), bounds);
      if (intervals.length > 0) chunks.push({ entry, intervals });
    }
    return { manifest, chunks };
  });
}
