// Backup sets: one backup taken in n shards by n processes that do not talk to each other (the pods of a
// Kubernetes Indexed Job). Each shard stores its chunks, then its shard record
// (sets/<name>/shard-<i>-of-<n>.json, a manifest with set.shard); whichever shard finds all n records
// merges them into the set's one manifest (backups/<id>/manifest.json). list, show, verify, restore,
// prune and incrementals see only that manifest, so they treat the set as one backup; a set with a
// missing, failed or disagreeing shard has no manifest, so it is never restored or chained to.
//
// No coordinator is needed: each shard writes its record before it lists the others, so of shards that
// finish together the one that lists last sees all n records (the argument of the lock, lock.ts). Two
// may both merge: the merge is a pure function of the n records (its id comes from the set's name and
// its earliest start), so both write the same manifest.

import { createHash } from 'node:crypto';
import { TsdbBackupError, type ErrorOptions } from '../errors.js';
import { manifestTotals, type Manifest, type MetadataRef } from '../format/manifest.js';
import type { OpOptions } from '../storage/storage.js';
import { newBackupId } from './backup-id.js';
import { byCompletion } from './chain.js';
import { BackupNotFoundError } from './errors.js';
import { manifestKey, type Repository } from './repository.js';
import { selectionKey, sourceKey, sourceLabel } from './sources.js';
import { mergeSetMetadata } from './set-metadata.js';

/** A set whose shards are not all done (or do not agree): it is no backup yet. */
export class SetIncompleteError extends TsdbBackupError {
  constructor(message: string, options?: ErrorOptions) {
    super('SET_INCOMPLETE', message, options);
  }
}

export interface SetStatus {
  name: string;
  shards: number;
  /** Indexes of the shards whose record is stored. */
  done: number[];
  missing: number[];
  /** Shards whose record disagrees with the others (range, parent, number of shards...): they must run again. */
  odd: number[];
  /** Why the records cannot form one backup. */
  problem?: string;
  /** The id of the set's merged manifest, once it is complete. */
  backupId?: string;
  startedAt: string;
}

/** What every shard of a set must share: the records of one set must all give the same string. */
export function setAgreement(m: Pick<Manifest, 'type' | 'parent' | 'range' | 'selection' | 'source' | 'set'>): string {
  return JSON.stringify({
    type: m.type,
    parent: m.parent,
    range: m.range,
    selection: selectionKey(m.selection),
    source: sourceKey(m.source),
    shards: m.set?.shards,
  });
}

function describeAgreement(m: Manifest): string {
  return `${m.type}${m.parent ? ` of ${m.parent}` : ''} of ${sourceLabel(m.source)}, ${new Date(m.range.start).toISOString()} .. ${new Date(m.range.end).toISOString()}, ${m.set?.shards} shards`;
}

/** The terms most records share (ties: the earliest end), which a rerun shard adopts. */
export function majorityTerms(records: readonly Manifest[]): Manifest | undefined {
  const groups = new Map<string, Manifest[]>();
  for (const r of records) groups.set(setAgreement(r), [...(groups.get(setAgreement(r)) ?? []), r]);
  return [...groups.values()].sort((a, b) => b.length - a.length || a[0]!.range.end - b[0]!.range.end)[0]?.[0];
}

export function setStatus(name: string, records: readonly Manifest[]): SetStatus {
  const sorted = [...records].sort((a, b) => a.set!.shard! - b.set!.shard!);
  const terms = majorityTerms(sorted)!;
  const shards = terms.set!.shards;
  const done = sorted.map((r) => r.set!.shard!);
  const missing = Array.from({ length: shards }, (_, i) => i).filter((i) => !done.includes(i));
  const odd = sorted.filter((r) => setAgreement(r) !== setAgreement(terms)).map((r) => r.set!.shard!);
  const problem =
    odd.length > 0
      ? `shard(s) ${sorted
          .filter((r) => odd.includes(r.set!.shard!))
          .map((r) => `${r.set!.shard}/${r.set!.shards} (${describeAgreement(r)})`)
          .join(', ')} disagree with the others (${describeAgreement(terms)}); run them again: they adopt the others' terms`
      : undefined;
  const startedAt = sorted.map((r) => r.startedAt).sort()[0]!;
  return { name, shards, done, missing, odd, ...(problem ? { problem } : {}), startedAt };
}

/** The id of a set's merged manifest: its earliest start and 6 hex digits of SHA-256 of its name. */
export function setBackupId(name: string, startedAt: string): string {
  return newBackupId(new Date(startedAt), () => createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 6));
}

/** The one manifest of a complete, consistent set: its shards' chunks, metrics and totals together. */
export function mergeShards(name: string, records: readonly Manifest[], metadata?: MetadataRef): Manifest {
  const sorted = [...records].sort((a, b) => a.set!.shard! - b.set!.shard!);
  const first = sorted[0]!;
  const chunks = sorted.flatMap((r) => r.chunks).sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : a.start - b.start));
  const metrics = sorted.flatMap((r) => r.metrics).sort((a, b) => (a.name < b.name ? -1 : 1));
  const annotated = sorted.filter((r) => r.annotationsOmitted);
  const startedAt = sorted.map((r) => r.startedAt).sort()[0]!;
  return {
    format: first.format,
    version: first.version,
    id: setBackupId(name, startedAt),
    type: first.type,
    parent: first.parent,
    tool: first.tool,
    source: first.source,
    range: first.range,
    selection: first.selection,
    startedAt,
    finishedAt: sorted
      .map((r) => r.finishedAt)
      .sort()
      .at(-1)!,
    totals: manifestTotals(metrics, chunks),
    metrics,
    chunks,
    ...(annotated.length > 0
      ? {
          annotationsOmitted: {
            total: annotated.reduce((n, r) => n + r.annotationsOmitted!.total, 0),
            metrics: Object.assign({}, ...annotated.map((r) => r.annotationsOmitted!.metrics)),
          },
        }
      : {}),
    ...(metadata ? { metadata } : {}),
    set: { name, shards: first.set!.shards },
  };
}

/** Merges the set when all of its shard records are stored and agree; says what is missing otherwise. */
export async function completeSet(repo: Repository, name: string, opts?: OpOptions): Promise<SetStatus> {
  const { records, unreadable } = await repo.shardRecords(name, opts);
  if (unreadable.length > 0) throw unreadable[0]!.error;
  const status = setStatus(name, records);
  if (status.missing.length > 0 || status.problem) return status;
  const merged = mergeShards(name, records, await mergeSetMetadata(repo, records, opts));
  if (!(await repo.storage.stat(manifestKey(merged.id), opts))) await repo.writeManifest(merged, opts);
  return { ...status, backupId: merged.id };
}

/** Stores a shard's record, then completes the set if this was its last shard. */
export async function commitShard(repo: Repository, record: Manifest, opts?: OpOptions): Promise<SetStatus> {
  await repo.writeShardRecord(record, opts);
  return completeSet(repo, record.set!.name, opts);
}

/** Why a set is no backup yet, in one sentence. */
export function describeIncomplete(s: SetStatus): string {
  if (s.problem) return `backup set '${s.name}' is not consistent: ${s.problem}`;
  return `backup set '${s.name}' is incomplete: shard(s) ${s.missing.join(', ')} of ${s.shards} have not finished (done: ${s.done.length > 0 ? s.done.join(', ') : 'none'})`;
}

/** The merged manifest of a set named by the operator, or a SetIncompleteError saying what it lacks. */
export async function completeSetManifest(repo: Repository, name: string, opts?: OpOptions): Promise<Manifest> {
  const { manifests } = await repo.manifests(opts);
  const merged = manifests
    .filter((m) => m.set?.name === name && m.set.shard === undefined)
    .sort(byCompletion)
    .at(-1);
  if (merged) return merged;
  const { records } = await repo.shardRecords(name, opts);
  if (records.length === 0) throw new BackupNotFoundError(`no backup or backup set '${name}' in ${repo}`);
  const status = setStatus(name, records);
  throw new SetIncompleteError(`${describeIncomplete(status)}; it cannot be restored or used as a complete backup`, {
    hint: status.problem
      ? 'run the disagreeing shards again'
      : status.missing.length === 0
        ? 'all shards are done but the set was not merged: run any one of its shards again (it merges the set)'
        : `run the missing shard(s) again with the same --set and --shard i/${status.shards}`,
  });
}

/** What a shard finds of its set before it starts: the set done, its own record, or other shards' terms. */
export interface PriorShards {
  complete?: Manifest;
  own?: Manifest;
  /** Terms of the shards already done, which this shard must share. */
  terms?: Manifest;
}

export async function priorShards(repo: Repository, name: string, shard: { index: number; count: number }, opts?: OpOptions): Promise<PriorShards> {
  // Also after prune removed the records of the complete set: a late retry must not start it again.
  const { manifests } = await repo.manifests(opts);
  const complete = manifests.find((m) => m.set?.name === name && m.set.shard === undefined);
  if (complete) return { complete };
  const { records, unreadable } = await repo.shardRecords(name, opts);
  if (unreadable.length > 0) throw unreadable[0]!.error;
  const mine = records.find((r) => r.set!.shard === shard.index && r.set!.shards === shard.count);
  const others = records.filter((r) => r !== mine);
  const terms = majorityTerms(others);
  // A record of this shard that disagrees with the others is done again on their terms.
  const own = mine && (!terms || setAgreement(mine) === setAgreement(terms)) ? mine : undefined;
  return { ...(own ? { own } : {}), ...(terms ? { terms } : {}) };
}
