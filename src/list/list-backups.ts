// The backups in a repository, grouped into chains (a full backup and its incrementals), oldest first.

import { TsdbBackupError } from '../errors.js';
import type { Manifest } from '../format/manifest.js';
import { describeBackup } from '../inspect/show.js';
import { byCompletion, groupChains } from '../repository/chain.js';
import type { Repository } from '../repository/repository.js';
import { matchesSource } from '../repository/sources.js';
import { setStatus } from '../repository/backup-set.js';

export interface BackupListing {
  id: string;
  type: Manifest['type'];
  parent: string | null;
  /** The source's name, or its URL when it has none. */
  source: string;
  sourceUrl: string;
  /** The time range the backup was asked for. */
  range: { start: string; end: string };
  /** Timestamps (ms) of its first and last point: the data it holds (absent when none). */
  firstTimestamp?: number;
  lastTimestamp?: number;
  startedAt: string;
  finishedAt: string;
  metrics: number;
  series: number;
  points: number;
  chunks: number;
  /** Stored bytes of its chunks. */
  bytes: number;
  /** Bytes of chunks no earlier backup references: what it added to the repository. */
  addedBytes: number;
  /** A backup taken in shards: its set's name and number of shards. */
  set?: { name: string; shards: number };
}

/** A backup set whose shards are not all done (or disagree): no backup yet, shown so that it is not forgotten. */
export interface IncompleteSet {
  name: string;
  shards: number;
  done: number[];
  missing: number[];
  problem?: string;
  startedAt: string;
  /** Chunks and bytes its finished shards hold (prune keeps them while the set is incomplete). */
  points: number;
  bytes: number;
}

export interface ListResult {
  repository: string;
  /** Every complete backup, oldest first. */
  backups: BackupListing[];
  /** The same backups as chains: each full backup with its incrementals. */
  chains: Array<{ full: string; backups: string[]; points: number; bytes: number }>;
  /** Incrementals whose chain is broken (a parent is missing). */
  orphans: string[];
  /** Sets with shards still missing, oldest first: not restorable, never a parent. */
  incompleteSets: IncompleteSet[];
  /** `tampered`: an encrypted manifest that fails authentication. */
  unreadable: Array<{ id: string; error: string; tampered: boolean }>;
}

function listing(m: Manifest, all: readonly Manifest[]): BackupListing {
  const d = describeBackup(m, all);
  return {
    id: m.id,
    type: m.type,
    parent: m.parent,
    source: m.source.name ?? m.source.url,
    sourceUrl: m.source.url,
    range: { start: new Date(m.range.start).toISOString(), end: new Date(m.range.end).toISOString() },
    startedAt: m.startedAt,
    finishedAt: m.finishedAt,
    ...(d.firstTimestamp !== undefined ? { firstTimestamp: d.firstTimestamp, lastTimestamp: d.lastTimestamp } : {}),
    ...m.totals,
    addedBytes: d.totals.addedBytes,
    ...(m.set ? { set: { name: m.set.name, shards: m.set.shards } } : {}),
  };
}

async function incompleteSets(repo: Repository, manifests: readonly Manifest[], source: string | undefined, signal?: AbortSignal): Promise<IncompleteSet[]> {
  const { records, unreadable } = await repo.shardRecords(undefined, { signal });
  if (unreadable.length > 0) throw unreadable[0]!.error;
  const merged = new Set(manifests.flatMap((m) => (m.set ? [m.set.name] : [])));
  const bySet = new Map<string, Manifest[]>();
  for (const r of records)
    if (!merged.has(r.set!.name) && (source === undefined || matchesSource(r, source))) bySet.set(r.set!.name, [...(bySet.get(r.set!.name) ?? []), r]);
  return [...bySet.entries()]
    .map(([name, rs]) => {
      const s = setStatus(name, rs);
      return {
        name,
        shards: s.shards,
        done: s.done,
        missing: s.missing,
        ...(s.problem ? { problem: s.problem } : {}),
        startedAt: s.startedAt,
        points: rs.reduce((n, r) => n + r.totals.points, 0),
        bytes: rs.reduce((n, r) => n + r.totals.bytes, 0),
      };
    })
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1));
}

export async function listBackups(deps: { repository: Repository; signal?: AbortSignal }, opts: { source?: string } = {}): Promise<ListResult> {
  const read = await deps.repository.manifests({ signal: deps.signal });
  const manifests = opts.source === undefined ? read.manifests : read.manifests.filter((m) => matchesSource(m, opts.source!));
  const { unreadable } = read;
  const { chains, orphans } = groupChains(manifests);
  return {
    repository: deps.repository.toString(),
    backups: [...manifests].sort(byCompletion).map((m) => listing(m, read.manifests)),
    chains: chains.map((c) => ({
      full: c.full.id,
      backups: c.backups.map((b) => b.id),
      points: c.backups.reduce((n, b) => n + b.totals.points, 0),
      bytes: c.backups.reduce((n, b) => n + b.totals.bytes, 0),
    })),
    orphans: orphans.map((o) => o.id),
    incompleteSets: await incompleteSets(deps.repository, read.manifests, opts.source, deps.signal),
    unreadable: unreadable.map((u) => ({ id: u.id, error: u.error.message, tampered: u.error instanceof TsdbBackupError && u.error.code === 'TAMPERED' })),
  };
}
