// What an incremental backup reads: the newest backup of the same source is its parent; it reads from
// the parent's end minus an overlap (points that arrived late, with old timestamps) up to now minus a
// settle lag (points still arriving), and inherits the parent's selection unless given its own. `now`
// is taken once the repository lock is held: a run that waited for the lock must not end its window
// at the time it started waiting.

import type { Manifest } from '../format/manifest.js';
import { byCompletion, resolveChain } from '../repository/chain.js';
import { sourceKey, type SourceRef } from '../repository/sources.js';

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
export function chooseParent(manifests: readonly Manifest[], source: SourceRef): Manifest | undefined {
  const want = sourceKey(source);
  return [...manifests].filter((m) => sourceKey(m.source) === want).sort(byCompletion).at(-1);
}

export interface IncrementalPlan {
  parent: Manifest;
  /** Start of the chain's full backup: how far back earlier points can matter. */
  chainStart: number;
  start: number;
  end: number;
  metrics: string[];
  exclude: string[];
}

/** The incremental to take now, or undefined when the repository holds no backup of the source. */
export function planIncremental(
  manifests: readonly Manifest[],
  p: { source: SourceRef; now: number; timing: IncrementalTiming; metrics?: string[]; exclude?: string[] },
): IncrementalPlan | undefined {
  const parent = chooseParent(manifests, p.source);
  if (!parent) return undefined;
  return {
    parent,
    chainStart: resolveChain(manifests, parent.id)[0]!.range.start,
    ...incrementalWindow(parent, p.now, p.timing),
    metrics: p.metrics ?? parent.selection.metrics,
    exclude: p.exclude ?? parent.selection.exclude ?? [],
  };
}
