// The terms the shards of one set must share (type, parent, time range, selection), found without
// talking to each other: a shard adopts the terms of the shards already done; the first shards compute
// them alike because "now" is rounded down to --align (they start within seconds of each other, so they
// land in the same step). A shard that still disagrees is caught when the set is merged (backup-set.ts).

import { UsageError } from '../errors.js';
import type { Manifest } from '../format/manifest.js';
import { resolveChain } from '../repository/chain.js';

/** Default step that a set's end is rounded down to: shards of one run agree unless they start 10 minutes apart. */
export const DEFAULT_SET_ALIGN = '10m';

export function alignDown(t: number, stepMs: number): number {
  return Math.floor(t / stepMs) * stepMs;
}

export interface ShardTerms {
  type: 'full' | 'incremental';
  parent?: Manifest;
  chainStart?: number;
  start: number;
  end: number;
  metrics: string[];
  exclude: string[];
}

/**
 * The terms of a shard record of the set, for a shard that joins it (`kind` is the command it runs; an
 * `incremental --full-if-missing` joins the full set its first shards took in an empty repository).
 */
export function adoptTerms(terms: Manifest, kind: 'full' | 'incremental', manifests: readonly Manifest[], opts: { fullIfMissing?: boolean } = {}): ShardTerms {
  const name = terms.set?.name;
  if (terms.type !== kind && !(kind === 'incremental' && terms.type === 'full' && opts.fullIfMissing)) {
    throw new UsageError(`backup set '${name}' is a ${terms.type} backup (its first shards are done); run this shard with \`tsdb-backup ${terms.type}\`, or give a new --set`);
  }
  const common = { type: terms.type, start: terms.range.start, end: terms.range.end, metrics: terms.selection.metrics, exclude: terms.selection.exclude ?? [] };
  if (terms.parent === null) return common;
  const parent = manifests.find((m) => m.id === terms.parent);
  if (!parent) throw new UsageError(`backup set '${name}' extends ${terms.parent}, which is no longer in the repository; give a new --set`);
  return { ...common, parent, chainStart: resolveChain(manifests, parent.id)[0]!.range.start };
}
