// export: writes the points a restore of a backup (with its chain) would write, as `tsdb import` text or
// as /api/put JSON lines, to a sink that applies backpressure (stdout). One chunk is in memory at a time
// and at most one buffer of lines waits in the sink, so a slow reader slows the export instead of filling
// memory. A chunk that fails its checks stops the export with restore's error codes; a sink that closes
// stops it with OutputClosedError saying how many points were delivered.

import { NothingSelectedError, TsdbBackupError, throwIfAborted } from '../errors.js';
import { selectMetrics } from '../fetch/metric-selection.js';
import { seriesKey, type Series } from '../format/series.js';
import { silentProgress, type ProgressReporter } from '../progress.js';
import type { Repository } from '../repository/repository.js';
import type { Interval } from '../repository/time-intervals.js';
import { readVerifiedChunk } from '../restore/chunk-reader.js';
import { pointJson } from '../restore/put-batches.js';
import { planRestore } from '../restore/restore-plan.js';
import { chainOf, chooseBackup } from '../restore/restore.js';
import { exportCutShort } from './export-errors.js';
import { exportReads, type ExportRead } from './export-order.js';
import { importLines } from './import-lines.js';

export const EXPORT_FORMATS = ['import', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const DEFAULT_EXPORT_FORMAT: ExportFormat = 'import';

/** Bytes of lines collected before they are handed to the sink. */
const BUFFER_BYTES = 64 * 1024;

export interface ExportOptions {
  /** Default: the newest backup (of `source`; completed at or before `at`), chosen as restore chooses. */
  backupId?: string;
  source?: string;
  at?: number;
  metrics: string[];
  exclude?: string[];
  start: number;
  end: number;
  format: ExportFormat;
  /** Succeed when the selection holds no point (otherwise a NothingSelectedError). */
  allowEmpty?: boolean;
}

export interface ExportDeps {
  repository: Repository;
  /** Takes text and resolves when it can take more; rejects with OutputClosedError when its reader went away. */
  write: (text: string) => Promise<void>;
  progress?: ProgressReporter;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface ExportResult {
  backupId: string;
  chain: string[];
  format: ExportFormat;
  metrics: number;
  series: number;
  chunks: number;
  points: number;
  durationMs: number;
}

function linesOf(format: ExportFormat, metric: string, series: readonly Series[], intervals: readonly Interval[]): Iterable<string> {
  if (format === 'import') return importLines(metric, series, intervals);
  return (function* () {
    for (const json of pointJson(metric, series, intervals)) yield `${json}\n`;
  })();
}

/** Guards the promise that no series' point is written twice or out of time order (the plan's chain rule). */
function checkTimeOrder(last: Map<string, number>, metric: string, series: readonly Series[], intervals: readonly Interval[]): void {
  for (const s of series) {
    const inside = s.timestamps.filter((t) => intervals.some((i) => t >= i.start && t <= i.end));
    if (inside.length === 0) continue;
    const key = seriesKey(metric, s.tags);
    const prev = last.get(key);
    if (prev !== undefined && inside[0]! <= prev) {
      throw new Error(`export would write ${key} at ${inside[0]} after ${prev}: two chunks of the plan overlap`);
    }
    last.set(key, inside.at(-1)!);
  }
}

function window(read: ExportRead): string {
  return read.intervals.map((i) => `${new Date(i.start).toISOString()}..${new Date(i.end).toISOString()}`).join(', ');
}

export async function exportBackup(opts: ExportOptions, deps: ExportDeps): Promise<ExportResult> {
  const clock = deps.now ?? (() => new Date());
  const started = clock().getTime();
  const progress = deps.progress ?? silentProgress;
  const { repository: repo, signal } = deps;
  const { target, all, unreadable } = await chooseBackup(repo, opts, signal);
  const chain = chainOf(all, target, unreadable);
  const plan = planRestore(chain, selectMetrics(opts.metrics, opts.exclude), { start: opts.start, end: opts.end });
  const reads = exportReads(plan);
  const metrics = new Set(reads.map((r) => r.entry.metric));
  // A chunk read in two stretches (split around an incremental) holds its points once.
  const planned = [...new Map(reads.map((r) => [r.entry.key, r.entry.points])).values()].reduce((n, p) => n + p, 0);
  const exact = reads.every((r) => r.whole);
  progress({ type: 'plan', metrics: metrics.size, chunks: reads.length, points: planned });

  // The last timestamp of each series of the metric being exported (reads come metric by metric, so the
  // map holds one metric's series, not the whole backup's); seriesBefore counts the finished metrics' series.
  const lastTs = new Map<string, number>();
  let lastMetric: string | undefined;
  let seriesBefore = 0;
  let delivered = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  let pendingPoints = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const text = pending.join('');
    const points = pendingPoints;
    pending = [];
    pendingBytes = 0;
    pendingPoints = 0;
    try {
      await deps.write(text);
    } catch (err) {
      if (err instanceof TsdbBackupError && err.code === 'OUTPUT_CLOSED') throw exportCutShort(delivered, planned, exact, err);
      throw err;
    }
    delivered += points;
  };

  let done = 0;
  for (const read of reads) {
    throwIfAborted(signal);
    const { entry } = read;
    let chunk;
    try {
      chunk = await readVerifiedChunk(repo, entry, signal);
    } catch (err) {
      if (!(err instanceof TsdbBackupError) || err.code === 'INTERRUPTED') throw err;
      await flush().catch(() => undefined);
      throw new TsdbBackupError(
        err.code,
        `cannot export ${entry.metric} ${window(read)} of backup ${read.backupId}: ${err.message}; ${delivered} points were written before it, the export is incomplete`,
        {
          cause: err,
          hint: err.hint ?? '`tsdb-backup verify` lists every damaged chunk',
        },
      );
    }
    if (chunk.metric !== lastMetric) {
      seriesBefore += lastTs.size;
      lastTs.clear();
      lastMetric = chunk.metric;
    }
    checkTimeOrder(lastTs, chunk.metric, chunk.series, read.intervals);
    let points = 0;
    for (const line of linesOf(opts.format, chunk.metric, chunk.series, read.intervals)) {
      pending.push(line);
      pendingBytes += line.length;
      pendingPoints++;
      points++;
      if (pendingBytes >= BUFFER_BYTES) await flush();
    }
    done++;
    progress({ type: 'written', metric: entry.metric, points, failed: 0 });
    if (done === reads.length || reads[done]!.entry.metric !== entry.metric) progress({ type: 'metric-done', metric: entry.metric, points });
  }
  await flush();
  if (delivered === 0 && !opts.allowEmpty) {
    throw new NothingSelectedError(`nothing to export: backup ${target.id} and its chain hold no point in the selection`, {
      hint: '`tsdb-backup show` lists what a backup holds; --allow-empty accepts an empty export',
    });
  }
  return {
    backupId: target.id,
    chain: chain.map((m) => m.id),
    format: opts.format,
    metrics: metrics.size,
    series: seriesBefore + lastTs.size,
    chunks: reads.length,
    points: delivered,
    durationMs: clock().getTime() - started,
  };
}
