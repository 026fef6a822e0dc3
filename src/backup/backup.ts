// A full backup: preflight the source, discover metrics, back each one up in bounded windows with a
// concurrency limit, and only then write the manifest that makes the backup exist. While it runs, the
// plan and each stored window are recorded (backup-runs.ts), so that an interrupted backup is resumed
// by the next run of the same backup instead of read again.

import { NothingSelectedError, throwIfAborted, TsdbBackupError, UsageError } from '../errors.js';
import type { Manifest, MetricSummary } from '../format/manifest.js';
import type { RunProgress } from '../format/backup-run.js';
import { MANIFEST_FORMAT, MANIFEST_VERSION, manifestTotals } from '../format/manifest.js';
import type { TsdClient } from '../opentsdb/client.js';
import { silentProgress, type ProgressReporter } from '../progress.js';
import { newBackupId } from '../repository/backup-id.js';
import type { HeldLock } from '../repository/lock.js';
import type { Repository } from '../repository/repository.js';
import { isUnknownMetric } from '../opentsdb/errors.js';
import { runParallel } from '../parallel/run-parallel.js';
import { TOOL } from '../version.js';
import { BackupFailedError, BackupIncompleteError, type MissingMetric } from './backup-errors.js';
import { RUN_FORMAT, RUN_VERSION, type BackupRun } from '../format/backup-run.js';
import { interruptedRuns, nextJournalSeq, removeBackupRun, writeBackupRun, type RecordedRun } from '../repository/backup-runs.js';
import { BackupNotFoundError } from '../repository/errors.js';
import { findResumable, type RunIdentity } from './resumable-run.js';
import { RunJournalWriter, storedProgress, type StoredProgress } from './run-journal.js';
import { backupMetric, type MetricBackupResult } from './backup-metric.js';
import { MetadataCollector, uidWidths } from './metadata-collector.js';
import { UidMetaReader } from './uid-meta-reader.js';
import { storeMetadata } from '../repository/metadata-store.js';
import { discoverMetrics } from '../fetch/discover-metrics.js';
import { selectMetrics } from '../fetch/metric-selection.js';
import { FirstWindows } from '../fetch/first-windows.js';
import { fetchUnit } from '../fetch/fetch-unit.js';
import { isMetricSourceFailure } from '../fetch/source-failure.js';
import { DEFAULT_SIZING, sizingProblem, type WindowSizing } from '../fetch/window-sizer.js';
import { commitShard, type SetStatus } from '../repository/backup-set.js';
import { inShard, type ShardSpec } from '../shard/shard.js';

export interface BackupOptions {
  /** An incremental names the backup it extends. */
  type?: 'full' | 'incremental';
  parent?: Manifest;
  /** Start of the chain's full backup (incrementals): how far back earlier points can matter. */
  chainStart?: number;
  /** Metric names or globs; empty means every metric. */
  metrics: string[];
  /** Metric names or globs to leave out. */
  exclude?: string[];
  /** Inclusive range in ms. */
  start: number;
  end: number;
  concurrency: number;
  maxResponseBytes: number;
  sizing?: Partial<WindowSizing>;
  zstdLevel: number;
  /** The source's version when the caller already ran preflightSource(); otherwise backup() does. */
  sourceVersion?: string;
  /** The name the operator gave the source cluster (--name); backups are grouped by it. */
  sourceName?: string;
  /** Succeed even when the selection matches no metric (otherwise a NothingSelectedError). */
  allowEmpty?: boolean;
  /**
   * An interrupted run of the same backup: resumed ('auto', the default), required ('require': none is
   * an error), or discarded before starting over ('never').
   */
  resume?: 'auto' | 'require' | 'never';
  /** Read the UID metadata of the names the series use (default true; one request per distinct UID). */
  uidMeta?: boolean;
  /** One shard of a backup set: back up only the shard's metrics and commit a shard record (backup-set.ts). */
  set?: { name: string; shard: ShardSpec };
}

export interface BackupDeps {
  client: TsdClient;
  repository: Repository;
  now?: () => Date;
  progress?: ProgressReporter;
  signal?: AbortSignal;
  /** The repository lock, proven still held right before the manifest is written. */
  lock?: Pick<HeldLock, 'assertHeld'>;
}

export interface BackupResult {
  manifest: Manifest;
  queries: number;
  responseBytes: number;
  reusedChunks: number;
  durationMs: number;
  /** What an interrupted run had stored, when this backup resumed it. */
  resumed?: { chunks: number; points: number; metricsDone: number };
  /** A shard of a set: the set after this shard's record was stored (backupId once it is complete). */
  set?: SetStatus;
}

/** Checks that the source can serve raw data: reachable, and the `none` aggregator (2.3+) exists. */
export async function preflightSource(client: TsdClient, signal?: AbortSignal): Promise<string> {
  const version = await client.version({ signal });
  const aggregators = await client.aggregators({ signal });
  if (!aggregators.includes('none')) {
    throw new BackupFailedError(`${client} (OpenTSDB ${version}) has no 'none' aggregator, so raw data cannot be read`, {
      hint: 'tsdb-backup needs OpenTSDB 2.3 or later',
    });
  }
  return version;
}

function summarize(results: MetricBackupResult[]): MetricSummary[] {
  return results
    .filter((r) => r.points > 0)
    .map((r) => ({
      name: r.metric,
      series: r.series,
      points: r.points,
      chunks: r.chunks.length,
    }));
}

export async function backup(opts: BackupOptions, deps: BackupDeps): Promise<BackupResult> {
  // The UID metadata is read alongside the points; whatever ends the backup, no read of it runs on after.
  const background: { uidReader?: UidMetaReader } = {};
  try {
    return await runBackup(opts, deps, background);
  } finally {
    await background.uidReader?.close();
  }
}

async function runBackup(opts: BackupOptions, deps: BackupDeps, background: { uidReader?: UidMetaReader }): Promise<BackupResult> {
  const now = deps.now ?? (() => new Date());
  const progress = deps.progress ?? silentProgress;
  const startedAt = now();
  const { client, repository: repo, signal } = deps;
  const type = opts.type ?? 'full';
  if (type === 'incremental' && !opts.parent) throw new BackupFailedError('an incremental backup needs a parent backup');
  if (opts.start > opts.end)
    throw new BackupFailedError(`the start ${new Date(opts.start).toISOString()} is after the end ${new Date(opts.end).toISOString()}`);

  const sizing = { ...DEFAULT_SIZING, ...opts.sizing };
  // A zero window never advances: refuse it before the source is asked anything.
  const badSizing = sizingProblem(sizing);
  if (badSizing) throw new UsageError(`invalid window sizing: ${badSizing}`);

  let version = opts.sourceVersion;
  if (version === undefined) {
    progress({ type: 'phase', phase: 'preflight', detail: client.toString() });
    version = await preflightSource(client, signal);
  }
  const source = { url: client.toString(), ...(opts.sourceName ? { name: opts.sourceName } : {}) };
  const identity: RunIdentity = {
    type,
    parent: type === 'incremental' ? opts.parent!.id : null,
    source,
    selection: selectionOf(opts),
    start: opts.start,
    ...(opts.set ? { set: { name: opts.set.name, shards: opts.set.shard.count, shard: opts.set.shard.index } } : {}),
  };
  const previous = await previousRun(repo, identity, opts.resume ?? 'auto', progress, signal);
  let run: BackupRun;
  let stored = new Map<string, StoredProgress>();
  if (previous) {
    run = previous.run;
    stored = storedProgress(previous.journal);
    progress({ type: 'notice', message: describeResume(previous, stored) });
  } else {
    progress({ type: 'phase', phase: 'discover', detail: `OpenTSDB ${version}` });
    const selection = selectMetrics(opts.metrics, opts.exclude);
    const discovered = await discoverMetrics(client, selection, { signal });
    // A shard with no metric of its own is normal; a selection that matches nothing at all is not.
    const shard = opts.set?.shard;
    const metrics = shard ? discovered.filter((m) => inShard(m, shard)) : discovered;
    if (discovered.length === 0 && !opts.allowEmpty) {
      // A backup of nothing would count as a success, and retention could then remove the last good one.
      const what = selection.all
        ? 'the source has no metric'
        : `no metric of ${client} matches ${opts.metrics.map((m) => `'${m}'`).join(', ')}${opts.exclude?.length ? ` (excluding ${opts.exclude.map((m) => `'${m}'`).join(', ')})` : ''}`;
      throw new NothingSelectedError(`nothing to back up: ${what}`, {
        hint: 'check --metric and --exclude (globs are case-sensitive); --allow-empty accepts an empty backup',
      });
    }
    // An incremental's first points may follow points of its parent chain; a full backup starts history.
    const chainStart = Math.min(opts.chainStart ?? opts.start, opts.start);
    run = {
      format: RUN_FORMAT,
      version: RUN_VERSION,
      id: newBackupId(startedAt),
      type,
      parent: identity.parent,
      tool: TOOL,
      source: { ...source, version },
      range: { start: opts.start, end: opts.end },
      selection: identity.selection,
      chainStart,
      ...(identity.set ? { set: identity.set } : {}),
      startedAt: startedAt.toISOString(),
      plan: metrics,
    };
    await writeBackupRun(repo, run, { signal });
  }
  const metrics = run.plan;
  progress({ type: 'plan', metrics: metrics.length });

  const journal = new RunJournalWriter(repo, run.id, previous ? nextJournalSeq(previous) : 0, signal);
  if (opts.uidMeta !== false) background.uidReader = new UidMetaReader(client, signal);
  const collector = new MetadataCollector(run.range, uidWidths(await client.config({ signal })), background.uidReader);
  // What the interrupted run collected of the windows it stored (what it had not recorded is read again).
  for (const m of stored.values()) for (const found of m.metadata) collector.restore(found);
  const record = (p: RunProgress): void => {
    // Whatever was collected before this window was recorded goes with it: recorded windows never lose theirs.
    journal.record({ ...p, ...collector.drain() });
  };
  const cfg = {
    metadata: collector,
    sizing,
    zstdLevel: opts.zstdLevel,
    maxResponseBytes: opts.maxResponseBytes,
    minWindowMs: sizing.minWindowMs,
    splitSampleSize: 2000,
    chainStart: run.chainStart,
    signal,
    progress,
    record,
  };
  const missing: MissingMetric[] = [];
  const unknown: string[] = [];
  // Many small metrics: their first windows are read several metrics to a request, ahead of the workers
  // (a metric an interrupted run stored part of goes on from where it was, alone).
  const firstWindows = new FirstWindows(
    client,
    metrics.filter((m) => !stored.has(m)),
    run.range,
    { initialWindowMs: sizing.initialWindowMs, targetPoints: sizing.targetPoints, maxResponseBytes: opts.maxResponseBytes, inFlight: opts.concurrency },
    // Nothing of the metric was read yet: its first window is counted before it is read (series-count.ts).
    (unit) => fetchUnit(client, unit, cfg, { countSeries: true }),
    signal,
  );
  let outcomes: Array<MetricBackupResult | undefined>;
  try {
    outcomes = await runParallel(metrics, { concurrency: opts.concurrency, signal }, async (metric, { signal: itemSignal }) => {
      throwIfAborted(itemSignal);
      try {
        return await backupMetric(client, repo, metric, run.range, { ...cfg, signal: itemSignal }, stored.get(metric), await firstWindows.take(metric));
      } catch (err) {
        // A name given exactly that the source does not know (or that was deleted meanwhile).
        if (isUnknownMetric(err)) {
          unknown.push(metric);
          return undefined;
        }
        // One metric the source cannot serve must not cost the others: go on, and fail at the end.
        if (!isMetricSourceFailure(err)) throw err;
        const hint = err instanceof TsdbBackupError ? err.hint : undefined;
        missing.push({ metric, error: (err as Error).message, ...(hint ? { hint } : {}) });
        progress({ type: 'warning', message: `${(err as Error).message}; going on with the other metrics, this backup will not be complete` });
        return undefined;
      }
    });
  } finally {
    // What was stored stays recorded for the run that resumes this one, whatever stopped this one.
    await journal.flush().catch(() => undefined);
  }
  await journal.flush();
  if (missing.length > 0) {
    missing.sort((a, b) => (a.metric < b.metric ? -1 : 1));
    throw new BackupIncompleteError(missing, metrics.length);
  }
  const results = outcomes.filter((r): r is MetricBackupResult => r !== undefined);
  if (unknown.length > 0) {
    if (results.length === 0 && !opts.allowEmpty) {
      throw new NothingSelectedError(`nothing to back up: ${client} has no metric ${unknown.map((m) => `'${m}'`).join(', ')}`, {
        hint: 'check the names given to --metric (they are case-sensitive); --allow-empty accepts an empty backup',
      });
    }
    progress({
      type: 'warning',
      message: `${client} has no metric ${unknown
        .slice(0, 5)
        .map((m) => `'${m}'`)
        .join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}: nothing backed up for ${unknown.length === 1 ? 'it' : 'them'}`,
    });
  }

  const chunks = results.flatMap((r) => r.chunks.map((c) => c.entry));
  const resumedChunks = results.flatMap((r) => r.chunks.filter((c) => c.resumed));
  chunks.sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : a.start - b.start));
  const metricsSummary = summarize(results);
  progress({ type: 'phase', phase: 'metadata', detail: 'annotations, UID and TS metadata' });
  const metadata = await storeMetadata(
    repo,
    await collector.finish(client, metricsSummary, { signal, progress, uidMeta: opts.uidMeta ?? true }),
    opts.zstdLevel,
    signal,
  );
  const finishedAt = now();
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    id: run.id,
    type,
    parent: run.parent,
    tool: TOOL,
    source: run.source,
    range: run.range,
    selection: run.selection,
    startedAt: run.startedAt,
    finishedAt: finishedAt.toISOString(),
    totals: manifestTotals(metricsSummary, chunks),
    metrics: metricsSummary,
    chunks,
    ...(metadata ? { metadata } : {}),
    ...(opts.set ? { set: { name: opts.set.name, shards: opts.set.shard.count, shard: opts.set.shard.index } } : {}),
  };
  throwIfAborted(signal);
  progress({ type: 'phase', phase: 'commit', detail: manifest.id });
  await deps.lock?.assertHeld();
  const set = opts.set ? await commitShard(repo, manifest, { signal }) : await repo.writeManifest(manifest, { signal });
  try {
    await removeBackupRun(repo, run.id, { signal });
  } catch (err) {
    // The backup exists; the next run removes what is left of its record (interruptedRuns' cleanUp).
    progress({
      type: 'warning',
      message: `backup ${run.id} is complete, but its progress record (runs/${run.id}.*) could not be removed (${(err as Error).message}); the next backup or prune removes it`,
    });
  }
  return {
    ...(set ? { set } : {}),
    manifest,
    queries: firstWindows.queries + results.reduce((n, r) => n + r.queries, 0),
    responseBytes: results.reduce((n, r) => n + r.responseBytes, 0),
    reusedChunks: results.reduce((n, r) => n + r.chunks.filter((c) => c.reused).length, 0),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    ...(previous
      ? {
          resumed: {
            chunks: resumedChunks.length,
            points: resumedChunks.reduce((n, c) => n + c.entry.points, 0),
            metricsDone: [...stored.values()].filter((m) => m.done).length,
          },
        }
      : {}),
  };
}

function selectionOf(opts: Pick<BackupOptions, 'metrics' | 'exclude'>): BackupRun['selection'] {
  return { metrics: opts.metrics, ...(opts.exclude?.length ? { exclude: opts.exclude } : {}) };
}

/** The interrupted run this backup resumes, after removing leftovers of finished ones; undefined to start afresh. */
async function previousRun(
  repo: Repository,
  identity: RunIdentity,
  resume: NonNullable<BackupOptions['resume']>,
  progress: ProgressReporter,
  signal?: AbortSignal,
): Promise<RecordedRun | undefined> {
  const found = findResumable(await interruptedRuns(repo, { signal, cleanUp: 'finished' }), identity);
  if (resume === 'require' && !found) {
    throw new BackupNotFoundError(
      `${repo} holds no interrupted ${identity.type} backup of ${identity.source.name ?? identity.source.url} with this selection${identity.parent ? ` extending ${identity.parent}` : ''} to resume`,
      {
        hint: 'run without --resume to start a new backup',
      },
    );
  }
  if (found && resume === 'never') {
    await removeBackupRun(repo, found.run.id, { signal });
    progress({ type: 'notice', message: `discarded the interrupted backup ${found.run.id} (--no-resume); prune removes the chunks only it stored` });
    return undefined;
  }
  return found;
}

function describeResume(previous: RecordedRun, stored: Map<string, StoredProgress>): string {
  const done = [...stored.values()].filter((m) => m.done).length;
  const points = [...stored.values()].reduce((n, m) => n + m.chunks.reduce((k, c) => k + c.points, 0), 0);
  const { run } = previous;
  return `resuming the interrupted backup ${run.id} (started ${run.startedAt}, range ${new Date(run.range.start).toISOString()} .. ${new Date(run.range.end).toISOString()}): ${done} of ${run.plan.length} metrics done, ${points} points already stored`;
}
