// The window an incremental backup reads: from the end of its parent minus an overlap (points that
// arrived late, with old timestamps), up to now minus a settle lag (points still arriving).

import type { Manifest } from '../format/manifest.js';
import { normalizeTsdUrl } from '../opentsdb/client.js';
import { byCompletion } from '../repository/chain.js';

export interface IncrementalTiming {
  overlapMs: number;
  settleMs: number;
}

export const DEFAULT_TIMING: IncrementalTiming = { overlapMs: 3_600_000, settleMs: 120_000 };

export function incrementalWindow(parent: Manifest, now: number, timing: IncrementalTiming): { start: number; end: number } {
  return {
    start: Math.max(parent.range.start, parent.range.end + 1 - timing.overlapMs),
    end: now - timing.settleMs,
  };
}

/** The newest backup of the same source: the one an incremental extends. */
export function chooseParent(manifests: readonly Manifest[], sourceUrl: string): Manifest | undefined {
  const want = normalizeTsdUrl(sourceUrl).base;
  return [...manifests].filter((m) => m.source.url === want).sort(byCompletion).at(-1);
}
