// Which chunks of a backup a restore needs, given metric patterns and a time range.

import type { ChunkEntry, Manifest } from '../format/manifest.js';
import type { MetricSelection } from '../backup/metric-selection.js';

export function selectChunks(manifest: Manifest, selection: MetricSelection, start: number, end: number): ChunkEntry[] {
  return manifest.chunks.filter((c) => {
    if (!selection.matches(c.metric)) return false;
    const first = c.firstTimestamp ?? c.start;
    const last = c.lastTimestamp ?? c.end;
    return last >= start && first <= end;
  });
}
