// What an incremental backup reads: the newest backup of the same source is its parent; it reads from
// the parent's end minus an overlap (points that arrived late, with old timestamps) up to now minus a
// settle lag (points still arriving), and inherits the parent's selection unless given its own. `now`
// is taken once the repository lock is held: a run that waited for the lock must not end its window
// at the time it started waiting.

import type { Manifest } from '../format/manifest.js';
import { byCompletion, resolveChain } from '../repository/chain.js';
import { UsageError } from '../errors.js';
import { chainSelections, selectionKey, sourceKey, sourceLabel, type SourceRef } from '../repository/sources.js';

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

/** The newest backup of the same source (any selection). */
export function chooseParent(manifests: readonly Manifest[], source: SourceRef): Manifest | undefined {
  const want = sourceKey(source);
  return [...manifests]
    .filter((m) => sourceKey(m.source) === want)
    .sort(byCompletion)
    .at(-1);
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

/**
 * The incremental to take now, or undefined when the repository holds no backup of the source.
 *
 * Its parent is the newest backup of the source whose chain's full backup selected what is asked
 * (--metric/--exclude; without them, every metric): a one-off backup of a few metrics must not become
 * the parent of the scheduled incrementals. When no chain selects exactly that, the source's newest
 * backup is the parent (an incremental may select less than its chain, see chain-coverage.ts), provided
 * the source's chains all select alike; otherwise the choice would be a guess, and it is refused.
 * With neither --metric nor --exclude the incremental selects what its chain's full backup selected;
 * with either, exactly what it is given.
 */
export function planIncremental(
  manifests: readonly Manifest[],
  p: { source: SourceRef; now: number; timing: IncrementalTiming; metrics?: string[]; exclude?: string[] },
): IncrementalPlan | undefined {
  const want = sourceKey(p.source);
  const ofSource = [...manifests].filter((m) => sourceKey(m.source) === want).sort(byCompletion);
  if (ofSource.length === 0) return undefined;
  const selections = chainSelections(manifests);
  const asked = selectionKey({ metrics: p.metrics ?? [], exclude: p.exclude ?? [] });
  let parent = ofSource.filter((m) => selectionKey(selections.get(m.id)!) === asked).at(-1);
  if (!parent) {
    const kinds = new Map(ofSource.map((m) => [selectionKey(selections.get(m.id)!), selections.get(m.id)!]));
    if (kinds.size > 1) {
      const described = [...kinds.values()].map((s) => describeSelection(s)).join('; ');
      throw new UsageError(
        `the backups of ${sourceLabel(p.source)} form chains that select different metrics (${described}), and none selects ${describeSelection({ metrics: p.metrics ?? [], exclude: p.exclude })}`,
        {
          hint: 'give the incremental the same --metric and --exclude as the full backup it should extend',
        },
      );
    }
    parent = ofSource.at(-1)!;
  }
  const chainFull = resolveChain(manifests, parent.id)[0]!;
  return {
    parent,
    chainStart: chainFull.range.start,
    ...incrementalWindow(parent, p.now, p.timing),
    // The selection is what is given, or, with neither --metric nor --exclude, the chain's.
    ...(p.metrics === undefined && p.exclude === undefined
      ? { metrics: chainFull.selection.metrics, exclude: chainFull.selection.exclude ?? [] }
      : { metrics: p.metrics ?? [], exclude: p.exclude ?? [] }),
  };
}

function describeSelection(s: { metrics: readonly string[]; exclude?: readonly string[] }): string {
  const metrics = s.metrics.length === 0 ? 'every metric' : s.metrics.map((m) => `--metric '${m}'`).join(' ');
  return `${metrics}${s.exclude?.length ? ` ${s.exclude.map((e) => `--exclude '${e}'`).join(' ')}` : ''}`;
}
