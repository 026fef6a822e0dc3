// Verify: recompute every chunk's size and SHA-256, decode it, and check that the manifest agrees with
// what the chunks hold (metric, series and point counts, time ranges, totals). Every problem is
// reported, not only the first.

import { TsdbBackupError, throwIfAborted } from '../errors.js';
import { ChunkFormatError, decodeChunk } from '../format/chunk-codec.js';
import type { ChunkEntry, Manifest } from '../format/manifest.js';
import { silentProgress, type ProgressReporter } from '../progress.js';
import { byCompletion, ChainBrokenError, resolveChain } from '../repository/chain.js';
import { BackupNotFoundError } from '../repository/errors.js';
import { readMetadata } from '../repository/metadata-reader.js';
import type { Repository } from '../repository/repository.js';
import { backupsOfSource } from '../repository/sources.js';
import { runParallel } from '../parallel/run-parallel.js';

function isChunkDamage(err: unknown): boolean {
  return (
    err instanceof ChunkFormatError ||
    (err instanceof TsdbBackupError && (err.code === 'CHUNK_CORRUPT' || err.code === 'CHUNK_MISSING' || err.code === 'TAMPERED'))
  );
}

function isTampering(err: unknown): boolean {
  return err instanceof TsdbBackupError && err.code === 'TAMPERED';
}

export interface VerifyProblem {
  backupId: string;
  /** The chunk key, or 'manifest'. */
  where: string;
  problem: string;
  /** An encrypted object failed authentication: changed after it was written. */
  tampered?: true;
  /** For a chunk: what a restore loses with it, its metric and window (and the span of its points). */
  metric?: string;
  start?: number;
  end?: number;
  firstTimestamp?: number;
  lastTimestamp?: number;
}

function chunkScope(e: ChunkEntry): Pick<VerifyProblem, 'metric' | 'start' | 'end' | 'firstTimestamp' | 'lastTimestamp'> {
  return {
    metric: e.metric,
    start: e.start,
    end: e.end,
    ...(e.firstTimestamp !== undefined ? { firstTimestamp: e.firstTimestamp, lastTimestamp: e.lastTimestamp } : {}),
  };
}

export interface VerifyResult {
  backups: string[];
  chunks: number;
  /** Other objects read and checked: the annotations and metadata objects of version-2 manifests. */
  objects: number;
  points: number;
  bytes: number;
  problems: VerifyProblem[];
}

export interface VerifyOptions {
  backupId?: string;
  all?: boolean;
  /** Without an id or --all: verify the newest backup of this source (needed when the repository holds several). */
  source?: string;
  concurrency: number;
}

function checkChunkContent(entry: ChunkEntry, bytes: Uint8Array): string[] {
  const problems: string[] = [];
  const chunk = decodeChunk(bytes, { points: entry.points });
  if (chunk.metric !== entry.metric) problems.push(`holds metric '${chunk.metric}', the manifest says '${entry.metric}'`);
  if (chunk.series.length !== entry.series) problems.push(`holds ${chunk.series.length} series, the manifest says ${entry.series}`);
  let points = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const s of chunk.series) {
    points += s.timestamps.length;
    for (const t of s.timestamps) {
      if (t < first) first = t;
      if (t > last) last = t;
      if (t < entry.start || t > entry.end) {
        problems.push(`has a point at ${t}, outside its window ${entry.start}..${entry.end}`);
        break;
      }
    }
  }
  if (points !== entry.points) problems.push(`holds ${points} points, the manifest says ${entry.points}`);
  if (points > 0 && (first !== entry.firstTimestamp || last !== entry.lastTimestamp)) {
    problems.push(`spans ${first}..${last}, the manifest says ${entry.firstTimestamp}..${entry.lastTimestamp}`);
  }
  return problems;
}

export function checkManifest(m: Manifest): string[] {
  const problems: string[] = [];
  const sum = (f: (c: ChunkEntry) => number): number => m.chunks.reduce((n, c) => n + f(c), 0);
  if (m.totals.chunks !== m.chunks.length) problems.push(`totals.chunks is ${m.totals.chunks} but ${m.chunks.length} chunks are listed`);
  if (m.totals.points !== sum((c) => c.points)) problems.push(`totals.points is ${m.totals.points} but the chunks hold ${sum((c) => c.points)}`);
  if (m.totals.bytes !== sum((c) => c.bytes)) problems.push(`totals.bytes is ${m.totals.bytes} but the chunks take ${sum((c) => c.bytes)}`);
  if (m.totals.metrics !== m.metrics.length) problems.push(`totals.metrics is ${m.totals.metrics} but ${m.metrics.length} metrics are listed`);
  for (const metric of m.metrics) {
    const own = m.chunks.filter((c) => c.metric === metric.name);
    const points = own.reduce((n, c) => n + c.points, 0);
    if (points !== metric.points) problems.push(`metric ${metric.name} records ${metric.points} points but its chunks hold ${points}`);
    if (own.length !== metric.chunks) problems.push(`metric ${metric.name} records ${metric.chunks} chunks but ${own.length} are listed`);
  }
  const listed = new Set(m.metrics.map((x) => x.name));
  for (const c of m.chunks) {
    if (!listed.has(c.metric)) problems.push(`chunk ${c.key} is for metric ${c.metric}, which the manifest does not list`);
    if (c.start < m.range.start || c.end > m.range.end) problems.push(`chunk ${c.key} window ${c.start}..${c.end} is outside the backup range`);
    if (c.key !== `data/${c.sha256.slice(0, 2)}/${c.sha256}`) problems.push(`chunk ${c.key} is not named by its id ${c.sha256}`);
  }
  const meta = m.metadata;
  if (meta && meta.key !== `data/${meta.sha256.slice(0, 2)}/${meta.sha256}`) problems.push(`metadata object ${meta.key} is not named by its id ${meta.sha256}`);
  return problems;
}

export async function verify(opts: VerifyOptions, deps: { repository: Repository; progress?: ProgressReporter; signal?: AbortSignal }): Promise<VerifyResult> {
  const { repository: repo, signal } = deps;
  const progress = deps.progress ?? silentProgress;
  const result: VerifyResult = { backups: [], chunks: 0, objects: 0, points: 0, bytes: 0, problems: [] };
  // An unreadable manifest is damage whichever backup was asked for: it may be the newest one.
  const all = await repo.manifests({ signal });
  for (const u of all.unreadable)
    result.problems.push({ backupId: u.id, where: 'manifest', problem: u.error.message, ...(isTampering(u.error) ? { tampered: true as const } : {}) });
  let targets: Manifest[];
  if (opts.all) targets = all.manifests;
  else if (opts.backupId) targets = [all.manifests.find((m) => m.id === opts.backupId) ?? (await repo.readManifest(opts.backupId, { signal }))];
  else {
    const newest = backupsOfSource(all.manifests, opts.source, repo.toString()).sort(byCompletion).at(-1);
    if (!newest && all.unreadable.length === 0) {
      throw new BackupNotFoundError(`${repo} holds no complete backup${opts.source !== undefined ? ` of source '${opts.source}'` : ''}`);
    }
    targets = newest ? [newest] : [];
  }
  // A backup is restorable only with its whole chain: verify what a restore of it would read.
  const manifests = new Map<string, Manifest>();
  for (const t of targets) {
    try {
      for (const m of resolveChain(all.manifests, t.id)) manifests.set(m.id, m);
    } catch (err) {
      if (!(err instanceof ChainBrokenError)) throw err;
      result.problems.push({ backupId: t.id, where: 'chain', problem: `${err.message}: it cannot be restored` });
      manifests.set(t.id, t);
    }
  }
  const checked = new Map<string, { problems: string[]; tampered: boolean }>();
  const toCheck = [...manifests.values()].sort(byCompletion);
  // One plan for the whole run, so that its counts and percentage end where the run ends.
  progress({
    type: 'plan',
    metrics: new Set(toCheck.flatMap((m) => m.metrics.map((x) => x.name))).size,
    chunks: toCheck.reduce((n, m) => n + m.chunks.length, 0),
    points: toCheck.reduce((n, m) => n + m.totals.points, 0),
  });
  for (const m of toCheck) {
    result.backups.push(m.id);
    for (const p of checkManifest(m)) result.problems.push({ backupId: m.id, where: 'manifest', problem: p });
    if (m.metadata) {
      try {
        await readMetadata(repo, m.metadata, signal);
        result.objects++;
        result.bytes += m.metadata.bytes;
      } catch (err) {
        if (!isChunkDamage(err)) throw err;
        result.problems.push({
          backupId: m.id,
          where: m.metadata.key,
          problem: (err as Error).message,
          ...(isTampering(err) ? { tampered: true as const } : {}),
        });
      }
    }
    await runParallel(m.chunks, { concurrency: opts.concurrency, signal }, async (entry, { signal: itemSignal }) => {
      throwIfAborted(itemSignal);
      const cacheKey = `${entry.key}|${entry.metric}|${entry.points}|${entry.series}|${entry.start}|${entry.end}`;
      let found = checked.get(cacheKey);
      if (!found) {
        try {
          found = { problems: checkChunkContent(entry, await repo.getChunk(entry, { signal: itemSignal })), tampered: false };
        } catch (err) {
          // A damaged chunk is a finding of verify; anything else (a storage failure, an interruption)
          // says nothing about the chunk and ends the run.
          if (!isChunkDamage(err)) throw err;
          found = { problems: [err instanceof TsdbBackupError ? err.message : `cannot be decoded: ${(err as Error).message}`], tampered: isTampering(err) };
        }
        checked.set(cacheKey, found);
      }
      for (const p of found.problems)
        result.problems.push({ backupId: m.id, where: entry.key, problem: p, ...chunkScope(entry), ...(found.tampered ? { tampered: true as const } : {}) });
      result.chunks++;
      result.points += entry.points;
      result.bytes += entry.bytes;
      progress({ type: 'chunk', metric: entry.metric, points: entry.points, bytes: entry.bytes, series: entry.series });
    });
  }
  return result;
}
