// A full backup: preflight the source, discover metrics, back each one up in bounded windows with a
// concurrency limit, and only then write the manifest that makes the backup exist.

import { NothingSelectedError, throwIfAborted, UsageError } from '../errors.js';
import type { Manifest, MetricSummary } from '../format/manifest.js';
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
import { backupMetric, type MetricBackupResult } from './backup-metric.js';
import { discoverMetrics } from '../fetch/discover-metrics.js';
import { selectMetrics } from '../fetch/metric-selection.js';
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
  const now = deps.now ?? (() => new Date());
  const progress = deps.progress ?? silentProgress;
  const startedAt = now();
  const { client, repository: repo, signal } = deps;
  const type = opts.type ?? 'full';
  if (type === 'incremental' && !opts.parent) throw new BackupFailedError('an incremental backup needs a parent backup');
  if (opts.start > opts.end) throw new BackupFailedError(`the start ${new Date(opts.start).toISOString()} is after the end ${new Date(opts.end).toISOString()}`);

  const sizing = { ...DEFAULT_SIZING, ...opts.sizing };
  // A zero window never advances: refuse it before the source is asked anything.
  const badSizing = sizingProblem(sizing);
  if (badSizing) throw new UsageError(`invalid window sizing: ${badSizing}`);

  let version = opts.sourceVersion;
  if (version === undefined) {
    progress({ type: 'phase', phase: 'preflight', detail: client.toString() });
    version = await preflightSource(client, signal);
  }
  progress({ type: 'phase', phase: 'discover', detail: `OpenTSDB ${version}` });
  const selection = selectMetrics(opts.metrics, opts.exclude);
  const discovered = await discoverMetrics(client, selection, { signal });
  // A shard with no metric of its own is normal; a selection that matches nothing at all is not.
  const shard = opts.set?.shard;
  const metrics = shard ? discovered.filter((m) => inShard(m, shard)) : discovered;
  if (discovered.length === 0 && !opts.allowEmpty) {
    // A backup of nothing would count as a success, and retention could then remove the last good one.
    const what = selection.all ? 'the source has no metric' : `no metric of ${client} matches ${opts.metrics.map((m) => `'${m}'`).join(', ')}${opts.exclude?.length ? ` (excluding ${opts.exclude.map((m) => `'${m}'`).join(', ')})` : ''}`;
    throw new NothingSelectedError(`nothing to back up: ${what}`, { hint: 'check --metric and --exclude (globs are case-sensitive); --allow-empty accepts an empty backup' });
  }
  progress({ type: 'plan', metrics: metrics.length });

  // An incremental's first points may follow points of its parent chain; a full backup starts history.
  const chainStart = Math.min(opts.chainStart ?? opts.start, opts.start);
  const cfg = { sizing, zstdLevel: opts.zstdLevel, maxResponseBytes: opts.maxResponseBytes, minWindowMs: sizing.minWindowMs, splitSampleSize: 2000, chainStart, signal, progress };
  const missing: MissingMetric[] = [];
  const unknown: string[] = [];
  const outcomes = await runParallel(metrics, { concurrency: opts.concurrency, signal }, async (metric, { signal: itemSignal }) => {
    throwIfAborted(itemSignal);
    try {
      return await backupMetric(client, repo, metric, { start: opts.start, end: opts.end }, { ...cfg, signal: itemSignal });
    } catch (err) {
      // A name given exactly that the source does not know (or that was deleted meanwhile).
      if (isUnknownMetric(err)) {
        unknown.push(metric);
        return undefined;
      }
      // One metric the source cannot serve must not cost the others: go on, and fail at the end.
      if (!isMetricSourceFailure(err)) throw err;
      missing.push({ metric, error: (err as Error).message });
      progress({ type: 'warning', message: `${(err as Error).message}; going on with the other metrics, this backup will not be complete` });
      return undefined;
    }
  });
  if (missing.length > 0) {
    missing.sort((a, b) => (a.metric < b.metric ? -1 : 1));
    throw new BackupIncompleteError(missing, metrics.length);
  }
  const results = outcomes.filter((r): r is MetricBackupResult => r !== undefined);
  if (unknown.length > 0) {
    if (results.length === 0 && !opts.allowEmpty) {
      throw new NothingSelectedError(`nothing to back up: ${client} has no metric ${unknown.map((m) => `'${m}'`).join(', ')}`, { hint: 'check the names given to --metric (they are case-sensitive); --allow-empty accepts an empty backup' });
    }
    progress({ type: 'warning', message: `${client} has no metric ${unknown.slice(0, 5).map((m) => `'${m}'`).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}: nothing backed up for ${unknown.length === 1 ? 'it' : 'them'}` });
  }

  const chunks = results.flatMap((r) => r.chunks.map((c) => c.entry));
  chunks.sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : a.start - b.start));
  const metricsSummary = summarize(results);
  const finishedAt = now();
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    id: newBackupId(startedAt),
    type,
    parent: type === 'incremental' ? opts.parent!.id : null,
    tool: TOOL,
    source: { url: client.toString(), version, ...(opts.sourceName ? { name: opts.sourceName } : {}) },
    range: { start: opts.start, end: opts.end },
    selection: { metrics: opts.metrics, ...(opts.exclude?.length ? { exclude: opts.exclude } : {}) },
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    totals: manifestTotals(metricsSummary, chunks),
    metrics: metricsSummary,
    chunks,
    ...(opts.set ? { set: { name: opts.set.name, shards: opts.set.shard.count, shard: opts.set.shard.index } } : {}),
  };
  const annotated = results.filter((r) => r.annotations > 0);
  if (annotated.length > 0) {
    const total = annotated.reduce((n, r) => n + r.annotations, 0);
    manifest.annotationsOmitted = { total, metrics: Object.fromEntries(annotated.map((r) => [r.metric, r.annotations])) };
    const names = annotated.slice(0, 5).map((r) => `${r.metric} (${r.annotations})`).join(', ');
    progress({
      type: 'warning',
      message: `${total} annotation(s) in the range are not backed up: ${names}${annotated.length > 5 ? `, and ${annotated.length - 5} more metrics` : ''}; tsdb-backup copies data points only (the manifest lists them under annotationsOmitted)`,
    });
  }
  throwIfAborted(signal);
  progress({ type: 'phase', phase: 'commit', detail: manifest.id });
  await deps.lock?.assertHeld();
  const set = opts.set ? await commitShard(repo, manifest, { signal }) : await repo.writeManifest(manifest, { signal });
  return {
    ...(set ? { set } : {}),
    manifest,
    queries: results.reduce((n, r) => n + r.queries, 0),
    responseBytes: results.reduce((n, r) => n + r.responseBytes, 0),
    reusedChunks: results.reduce((n, r) => n + r.chunks.filter((c) => c.reused).length, 0),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
  };
}
