// Restore: resolve the backup and its chain, choose the chunks, preflight the target, then per chunk
// verify its checksum, decode it and write its points in batches the target accepts, with
// ?details&sync so that every point's fate is known. Writing the same points again is harmless, so a
// restore can be re-run.

import pLimit from 'p-limit';
import { runParallel } from '../parallel/run-parallel.js';
import { selectMetrics } from '../fetch/metric-selection.js';
import { shardSelection, type ShardSpec } from '../shard/shard.js';
import { NothingSelectedError, TsdbBackupError, throwIfAborted } from '../errors.js';
import type { Manifest } from '../format/manifest.js';
import type { TsdClient } from '../opentsdb/client.js';
import { silentProgress, type ProgressReporter } from '../progress.js';
import { backupAt, byCompletion, ChainBrokenError, resolveChain } from '../repository/chain.js';
import { BackupNotFoundError, unreadableCode } from '../repository/errors.js';
import { backupsOfSource } from '../repository/sources.js';
import type { Repository } from '../repository/repository.js';
import { readVerifiedChunk } from './chunk-reader.js';
import { chunkOrigin, writeSeriesPoints, type ChunkWriteContext, type WriteTally } from './chunk-writer.js';
import { pointJson } from './put-batches.js';
import { planRestore } from './restore-plan.js';
import { RestoreStoppedError } from './restore-errors.js';
import { defaultPutConcurrency, readTargetLimits, speedAdvice } from './target-limits.js';
import { UidPrecreator } from './uid-precreate.js';
import { ChainMetadata, type MetadataTally } from './metadata-restore.js';
import { PointTransform, type TransformOptions } from './point-transform.js';
import { checkConflicts, verifiedTally, type ConflictReport, type VerifyReport } from './restore-checks.js';
import { compareWithTarget } from './target-compare.js';
import { isChunkDamage, lostRanges, type LostRange } from './damaged-chunks.js';
import { journalChunkId, type RestoreJournal } from './restore-journal.js';
import { restoreKey, startJournal, type ResumedRun } from './restore-resume.js';
import { WrittenRanges } from './written-ranges.js';
import { noteSkippedSeries } from './skipped-series.js';

export interface RestoreOptions {
  /** The backup to restore with its chain; default the newest. */
  backupId?: string;
  /** Instead of an id: the newest backup completed at or before this time (ms). */
  at?: number;
  metrics: string[];
  exclude?: string[];
  start: number;
  end: number;
  dryRun: boolean;
  concurrency: number;
  /** Put requests in flight at once (each waits for the TSD to flush); default by the target's body limit (defaultPutConcurrency). */
  putConcurrency?: number;
  /** Compress put bodies; the target's size limit then applies to the compressed bytes. */
  gzip: boolean;
  /** Without a backup id: the source (name or URL) whose newest backup to restore; required when the repository holds several. */
  source?: string;
  /** Succeed even when the selection holds no point (otherwise a NothingSelectedError). */
  allowEmpty?: boolean;
  /** Renames, tag maps and a time shift applied while writing (--start/--end select source times). */
  transform?: TransformOptions;
  /** After writing each chunk, read its points back from the target and compare them exactly. */
  verify?: boolean;
  /** Replace other values the target holds at the restored points (only where tsd.storage.fix_duplicates=true). */
  overwrite?: boolean;
  /** Leave out damaged chunks (missing, corrupt, tampered) and report what they held, instead of stopping. */
  skipDamaged?: boolean;
  /**
   * Record the chunks written in a journal in this local directory (restore-journal.ts), and with resume
   * skip those an interrupted run of the same restore recorded. Not used by a dry run.
   */
  journal?: { dir: string; resume: boolean };
  /** Restore only the metrics of this shard (the hash of backups' --shard), for parallel restores. */
  shard?: ShardSpec;
}

export interface RestoreDeps {
  repository: Repository;
  /** Required unless dryRun. */
  client?: TsdClient;
  progress?: ProgressReporter;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface RestoreResult extends WriteTally {
  backupId: string;
  /** The backups restored, full first. */
  chain: string[];
  target: string | null;
  dryRun: boolean;
  chunks: number;
  metrics: number;
  durationMs: number;
  /** With verify: what the read-back found. */
  verify?: VerifyReport;
  /** Points the target held with other values before writing (counted only when checked). */
  conflicts?: ConflictReport;
  /** With skipDamaged: what damaged chunks held and the target therefore lacks. */
  lost?: LostRange[];
  /** Annotations and metadata written (a dry run: that would be written); absent when the backups hold none. */
  metadata?: MetadataTally;
  /** Chunks this run wrote completely (or, dry run, read). */
  chunksWritten: number;
  /** With a journal: the file, while it is kept (some chunk is not written yet); null once removed. */
  journal?: string | null;
  /** A resumed restore: the chunks and points an interrupted run had written, skipped by this one. */
  resumed?: ResumedRun;
}

type Unreadable = Array<{ id: string; error: Error }>;

/**
 * The backup to read (the named one, else the newest of the source, or the newest at or before `at`), refusing
 * to pick an older one silently when a manifest that may be newer cannot be read. Export chooses the same way.
 */
export async function chooseBackup(
  repo: Repository,
  opts: Pick<RestoreOptions, 'backupId' | 'at' | 'source'>,
  signal?: AbortSignal,
): Promise<{ target: Manifest; all: Manifest[]; unreadable: Unreadable }> {
  const { manifests, unreadable } = await repo.manifests({ signal });
  if (opts.backupId) {
    const target = manifests.find((m) => m.id === opts.backupId) ?? (await repo.readManifest(opts.backupId, { signal }));
    return { target, all: manifests, unreadable };
  }
  const candidates = backupsOfSource(manifests, opts.source, repo.toString());
  const target = opts.at !== undefined ? backupAt(candidates, opts.at) : [...candidates].sort(byCompletion).at(-1);
  if (!target) {
    const of = opts.source !== undefined ? ` of source '${opts.source}'` : '';
    const what = opts.at !== undefined ? `no backup${of} completed at or before ${new Date(opts.at).toISOString()}` : `no complete backup${of}`;
    // Unreadable manifests may be the very backups asked for: that is damage, not absence.
    if (unreadable.length > 0) {
      throw new TsdbBackupError(
        unreadableCode([unreadable[0]!.error]),
        `${repo} holds ${what} that can be read; ${unreadable.length} manifest(s) cannot be read: ${unreadable[0]!.error.message}`,
        {
          hint: 'run `tsdb-backup verify --all`; restore a readable backup by its id, or repair the damaged manifest',
        },
      );
    }
    throw new BackupNotFoundError(`${repo} holds ${what}`);
  }
  // An unreadable manifest that may be newer than the choice (ids begin with the start time) could be
  // the backup meant: restoring an older one instead would look fine while data is missing.
  const limit = opts.at !== undefined ? new Date(opts.at).toISOString().replace(/[-:]|\.\d+/g, '') : undefined;
  const newer = unreadable.filter((u) => u.id > target.id && (limit === undefined || u.id.slice(0, 16) <= limit));
  if (newer.length > 0) {
    throw new TsdbBackupError(
      unreadableCode([newer.at(-1)!.error]),
      `the newest backup may be ${newer.at(-1)!.id}, whose manifest cannot be read: ${newer.at(-1)!.error.message}`,
      {
        hint: `to restore the newest readable backup instead, name it: tsdb-backup restore ${target.id} ...; \`tsdb-backup verify --all\` shows the damage`,
      },
    );
  }
  return { target, all: manifests, unreadable };
}

/** The chain of `target`; a gap where a manifest cannot be read is that manifest's damage (or tampering). */
export function chainOf(all: Manifest[], target: Manifest, unreadable: Unreadable): Manifest[] {
  try {
    return resolveChain(all, target.id);
  } catch (err) {
    const gap = err instanceof ChainBrokenError ? unreadable.find((u) => u.id === err.missing) : undefined;
    if (!gap) throw err;
    throw new TsdbBackupError(unreadableCode([gap.error]), `the chain of ${target.id} needs ${gap.id}, whose manifest cannot be read: ${gap.error.message}`, {
      hint: 'the chain cannot be restored past it; `tsdb-backup verify --all` shows the damage',
    });
  }
}

export async function restore(opts: RestoreOptions, deps: RestoreDeps): Promise<RestoreResult> {
  const session: JournalSession = {};
  try {
    return await restoreWith(opts, deps, session);
  } catch (err) {
    await session.journal?.abandon(session.resumed);
    throw err;
  }
}

/** The journal of a restore under way, for restore() to close when the restore fails. */
interface JournalSession {
  journal?: RestoreJournal;
  resumed?: boolean;
}

async function restoreWith(opts: RestoreOptions, deps: RestoreDeps, session: JournalSession): Promise<RestoreResult> {
  const clock = deps.now ?? (() => new Date());
  const started = clock().getTime();
  const progress = deps.progress ?? silentProgress;
  const { repository: repo, signal, client } = deps;
  const { target, all, unreadable } = await chooseBackup(repo, opts, signal);
  const chain = chainOf(all, target, unreadable);
  const selected = selectMetrics(opts.metrics, opts.exclude);
  const selection = shardSelection(selected, opts.shard);
  const plan = planRestore(chain, selection, { start: opts.start, end: opts.end });
  const allChunks = plan.flatMap((p) => p.chunks);
  const metrics = new Set(allChunks.map((c) => c.entry.metric));
  // One shard of a parallel restore may hold no metric; the selection as a whole must hold some.
  const allowEmpty =
    opts.allowEmpty || (opts.shard !== undefined && planRestore(chain, selected, { start: opts.start, end: opts.end }).some((p) => p.chunks.length > 0));
  if (allChunks.length === 0 && !allowEmpty) throw nothingSelected(target, opts);
  const transform = new PointTransform(opts.transform);
  transform.check(
    metrics,
    allChunks.flatMap((c) => c.intervals.map((interval) => ({ metric: c.entry.metric, interval }))),
  );
  progress({ type: 'plan', metrics: metrics.size, chunks: allChunks.length });
  let omitted = 0;
  for (const p of plan) {
    if (p.chunks.length === 0) continue; // a backup this restore reads nothing from
    for (const [metric, n] of Object.entries(p.manifest.annotationsOmitted?.metrics ?? {})) if (selection.matches(metric)) omitted += n;
  }
  if (omitted > 0) {
    progress({
      type: 'warning',
      message: `the source had ${omitted} annotation(s) in these backups' ranges, which were not backed up: the target will not have them`,
    });
  }
  const metadata = await ChainMetadata.load(repo, chain, selection, { start: opts.start, end: opts.end }, signal);

  const result: RestoreResult = {
    backupId: target.id,
    chain: chain.map((m) => m.id),
    target: client ? client.toString() : null,
    dryRun: opts.dryRun,
    chunks: allChunks.length,
    metrics: metrics.size,
    points: 0,
    written: 0,
    failed: 0,
    failures: [],
    requests: 0,
    durationMs: 0,
    chunksWritten: 0,
  };

  if (!opts.dryRun && !client) throw new TsdbBackupError('USAGE', 'restore needs a target TSD unless --dry-run');
  const journalStart =
    !opts.dryRun && client && opts.journal
      ? await startJournal(plan, {
          dir: opts.journal.dir,
          resume: opts.journal.resume,
          now: clock(),
          progress,
          key: restoreKey(repo.config.id, result.chain, client.toString(), opts),
        })
      : undefined;
  const journal = journalStart?.journal;
  const todo = journalStart?.todo ?? plan;
  session.journal = journal;
  session.resumed = Boolean(journalStart?.resumed);
  if (journal) result.journal = journal.file;
  if (journalStart?.resumed) result.resumed = journalStart.resumed;
  let recorded = 0;
  // The failure that stops the restore says what was written before it.
  const stopped = (err: unknown): never => {
    if (!(err instanceof TsdbBackupError)) throw err; // a bug keeps its stack trace
    throw new RestoreStoppedError(err, {
      points: result.written,
      chunks: result.chunksWritten,
      of: allChunks.length,
      dryRun: opts.dryRun,
      ...(journal && (journal.recordedAny || result.resumed) ? { journal: journal.file, journaled: recorded + (result.resumed?.chunks ?? 0) } : {}),
      ...(result.resumed ? { skippedChunks: result.resumed.chunks, skippedPoints: result.resumed.points } : {}),
    });
  };
  if (opts.skipDamaged) result.lost = [];
  let ctx: ChunkWriteContext | undefined;
  if (!opts.dryRun && client) {
    progress({ type: 'phase', phase: 'preflight', detail: client.toString() });
    const limits = await readTargetLimits(client, { signal });
    const advice = speedAdvice(limits, client.toString());
    if (advice) progress({ type: 'notice', message: advice });
    const uids = new UidPrecreator(client, limits.maxBodyBytes);
    if (!limits.autoCreateMetrics) {
      progress({ type: 'phase', phase: 'create-metrics', detail: `${metrics.size} metric names` });
      await uids.ensure(
        'metric',
        [...metrics].map((m) => transform.metric(m)),
        signal,
      );
    }
    const toCheck = journalStart?.toCheck ?? plan;
    progress({ type: 'phase', phase: 'conflict-check', detail: `${toCheck.reduce((n, step) => n + step.chunks.length, 0)} chunks against ${client}` });
    // Reading every chunk before writing also finds damage before anything is written. Chunks an
    // interrupted run wrote (all or some of) were checked by it.
    result.conflicts = await checkConflicts(toCheck, {
      repo,
      client,
      transform,
      concurrency: opts.concurrency,
      signal,
      overwrite: Boolean(opts.overwrite),
      fixDuplicates: limits.fixDuplicates,
      skipDamaged: Boolean(opts.skipDamaged),
    }).catch((err: unknown) => {
      if (err instanceof TsdbBackupError && err.code === 'RESTORE_CONFLICT') throw err;
      return stopped(err);
    });
    if (opts.verify) result.verify = verifiedTally();
    ctx = { client, putLimit: pLimit(opts.putConcurrency ?? defaultPutConcurrency(limits)), limits, uids, gzip: opts.gzip, tally: result, signal };
  }

  for (const step of todo) {
    progress({ type: 'phase', phase: 'restore', detail: `${step.manifest.type} ${step.manifest.id}: ${step.chunks.length} chunks` });
    await runParallel(step.chunks, { concurrency: opts.concurrency, signal }, async ({ entry, intervals }, { signal: itemSignal }) => {
      throwIfAborted(itemSignal);
      let chunk;
      try {
        chunk = await readVerifiedChunk(repo, entry, itemSignal);
      } catch (err) {
        if (!result.lost || !isChunkDamage(err)) throw err;
        result.lost.push(...lostRanges(step.manifest.id, entry, intervals, err));
        result.chunksWritten++;
        progress({
          type: 'warning',
          message: `left out ${err.message}: ${entry.metric} ${intervals.map((i) => `${new Date(i.start).toISOString()}..${new Date(i.end).toISOString()}`).join(', ')} is lost`,
        });
        return;
      }
      // Applied in a dry run too, so that a tag map that merges series is found before a real run.
      const t = transform.apply(chunk.metric, chunk.series, intervals);
      for (const s of t.series) metadata.noteSeriesTags(s.tags);
      if (!ctx) {
        let n = 0;
        for (const _ of pointJson(t.metric, t.series, t.intervals)) n++;
        result.points += n;
        result.chunksWritten++;
        progress({ type: 'written', metric: chunk.metric, points: n, failed: 0 });
        return;
      }
      const origin = chunkOrigin({ key: entry.key, metric: t.metric });
      const id = journalChunkId(step.manifest.id, entry.key);
      const written = journalStart?.partial.get(id) ?? new WrittenRanges();
      const skipped = written.size;
      const resume = journal ? { written, acknowledged: () => journal.ranges(id, written) } : undefined;
      const r = await writeSeriesPoints({ ...ctx, stop: itemSignal }, origin, t.series, t.intervals, resume);
      if (result.verify) {
        const filters = transform.targetFilters(entry.filters);
        result.verify.add(await compareWithTarget(ctx.client, { ...t, filters }, { signal: itemSignal, progress }));
      }
      // Written when every put of it was acknowledged and none of its points rejected.
      if (journal && r.failed === 0) {
        await journal.record(id, skipped + r.written);
        recorded++;
      }
      result.chunksWritten++;
      progress({ type: 'written', metric: chunk.metric, points: r.written, failed: r.failed });
    }).catch(stopped);
  }
  if (!metadata.empty) {
    // The tag names of the series an interrupted run wrote: this run skipped their chunks.
    if (journalStart?.resumed && metadata.wantsSeriesTags) await noteSkippedSeries(repo, plan, todo, transform, metadata, signal).catch(stopped);
    if (ctx) {
      progress({ type: 'phase', phase: 'metadata', detail: 'annotations, UID and TS metadata' });
      result.metadata = await metadata.write(ctx.client, ctx.uids, transform, signal).catch(stopped);
    } else result.metadata = metadata.tally(transform);
  }
  if (journal) {
    session.journal = undefined;
    if (recorded + (result.resumed?.chunks ?? 0) >= allChunks.length) {
      await journal.remove();
      result.journal = null;
    } else {
      await journal.close();
    }
  }
  // Chunks in range may still hold no point inside the restored times (a gap in the data).
  if (result.points === 0 && !result.resumed?.points && !allowEmpty && !result.lost?.length) throw nothingSelected(target, opts);
  result.durationMs = clock().getTime() - started;
  return result;
}

function nothingSelected(target: Manifest, opts: RestoreOptions): NothingSelectedError {
  const filters = [
    ...opts.metrics.map((m) => `--metric '${m}'`),
    ...(opts.exclude ?? []).map((m) => `--exclude '${m}'`),
    ...(opts.start > Number.MIN_SAFE_INTEGER ? [`--start ${new Date(opts.start).toISOString()}`] : []),
    ...(opts.end < Number.MAX_SAFE_INTEGER ? [`--end ${new Date(opts.end).toISOString()}`] : []),
  ];
  return new NothingSelectedError(
    `nothing to restore: backup ${target.id} and its chain hold no point${filters.length > 0 ? ` matching ${filters.join(' ')}` : ''}`,
    {
      hint: '`tsdb-backup list` shows what each backup holds; --allow-empty accepts an empty restore',
    },
  );
}
