// The terms the shards of one set must share (type, parent, time range, selection), found without
// talking to each other: a shard adopts the terms of the shards already done; the first shards compute
// them alike because "now" is rounded down to --align (they start within seconds of each other, so they
// land in the same step). A shard that still disagrees is caught when the set is merged (backup-set.ts).

import { UsageError } from '../errors.js';
import type { Manifest } from '../format/manifest.js';
import { completeSet, priorShards, type SetStatus } from '../repository/backup-set.js';
import { resolveChain } from '../repository/chain.js';
import { sourceKey, sourceLabel, type SourceRef } from '../repository/sources.js';
import type { Repository } from '../repository/repository.js';
import type { ShardSpec } from '../shard/shard.js';
import type { BackupResult } from './backup.js';

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
    throw new UsageError(
      `backup set '${name}' is a ${terms.type} backup (its first shards are done); run this shard with \`tsdb-backup ${terms.type}\`, or give a new --set`,
    );
  }
  const common = { type: terms.type, start: terms.range.start, end: terms.range.end, metrics: terms.selection.metrics, exclude: terms.selection.exclude ?? [] };
  if (terms.parent === null) return common;
  const parent = manifests.find((m) => m.id === terms.parent);
  if (!parent) throw new UsageError(`backup set '${name}' extends ${terms.parent}, which is no longer in the repository; give a new --set`);
  return { ...common, parent, chainStart: resolveChain(manifests, parent.id)[0]!.range.start };
}

/** A set found complete when a shard starts: every shard is done. */
function completeStatus(m: Manifest): SetStatus {
  const shards = m.set!.shards;
  return { name: m.set!.name, shards, done: Array.from({ length: shards }, (_, i) => i), missing: [], odd: [], backupId: m.id, startedAt: m.startedAt };
}

/**
 * A set's name stands for one run of one cluster's shards. A set of another source, or a finished set or
 * shard record whose range ends elsewhere than this run's (the name was used before, say a fixed --set
 * in a cron script), would otherwise make this shard "already done": exit 0, nothing backed up. Shards
 * that join an unfinished set adopt its range instead (a straggler may start after the next --align step).
 */
function assertSameSource(m: Manifest, source: SourceRef): void {
  if (sourceKey(m.source) !== sourceKey(source)) {
    throw new UsageError(
      `backup set '${m.set!.name}' holds backups of ${sourceLabel(m.source)}, not of ${sourceLabel(source)}: give this cluster's shards a set name of their own`,
    );
  }
}

/** `ends`: where this run's range may end (an incremental --full-if-missing may take a full one). */
function assertSameEnd(m: Manifest, ends: readonly number[] | undefined): void {
  if (ends === undefined || ends.includes(m.range.end)) return;
  const end = ends[0]!;
  const what = m.set!.shard === undefined ? `is the complete backup ${m.id}` : `holds this shard's record (backup ${m.id})`;
  throw new UsageError(
    `backup set '${m.set!.name}' ${what} of ${new Date(m.range.start).toISOString()} .. ${new Date(m.range.end).toISOString()}, not of this run's range ending ${new Date(end).toISOString()}: each run of a set needs a name of its own`,
    {
      hint: "in Kubernetes use the Job's name (the CronJob example does); a shard retried after the next --align step also ends here, and its set is complete",
    },
  );
}

const NOTHING_READ = { queries: 0, responseBytes: 0, reusedChunks: 0, durationMs: 0 };

/**
 * What a shard does as it starts: nothing more when its set is complete or its own record is stored (a
 * retried pod), and the `done` result says so; the terms of the shards already done when there are any;
 * or, first of its set, its own terms (neither field).
 */
export async function joinSet(
  repo: Repository,
  set: { name: string; shard: ShardSpec },
  kind: 'full' | 'incremental',
  opts: { fullIfMissing?: boolean; signal?: AbortSignal; source: SourceRef; ends?: number[] },
): Promise<{ done?: BackupResult; terms?: ShardTerms }> {
  const prior = await priorShards(repo, set.name, set.shard, { signal: opts.signal });
  for (const m of [prior.complete, prior.own, prior.terms]) if (m) assertSameSource(m, opts.source);
  for (const m of [prior.complete, prior.own]) if (m) assertSameEnd(m, opts.ends);
  if (prior.complete) return { done: { manifest: prior.complete, set: completeStatus(prior.complete), ...NOTHING_READ } };
  if (prior.own) return { done: { manifest: prior.own, set: await completeSet(repo, set.name, { signal: opts.signal }), ...NOTHING_READ } };
  if (prior.terms) return { terms: adoptTerms(prior.terms, kind, (await repo.manifests({ signal: opts.signal })).manifests, opts) };
  return {};
}
