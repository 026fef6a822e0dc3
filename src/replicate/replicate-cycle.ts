// One replication pass: every selected metric of the primary is copied from its checkpoint (less the
// overlap, for late points) up to `until`, oldest window first, and its checkpoint advances window by
// window once the standby confirmed the points. A metric that fails keeps its checkpoint and is tried
// again by the next pass; the others go on. A metric seen for the first time is copied from the start.

import pLimit from 'p-limit';
import { discoverMetrics } from '../fetch/discover-metrics.js';
import type { MetricSelection } from '../fetch/metric-selection.js';
import { oldestFirst, type ReadConfig } from '../fetch/settled-windows.js';
import { TsdbBackupError, throwIfAborted } from '../errors.js';
import type { TsdClient } from '../opentsdb/client.js';
import { isBrokenExchange, isUnknownMetric, TsdUnreachableError } from '../opentsdb/errors.js';
import { runParallel } from '../parallel/run-parallel.js';
import type { ProgressReporter } from '../progress.js';
import type { ChunkWriteContext, WriteTally } from '../restore/chunk-writer.js';
import { readTargetLimits } from '../restore/target-limits.js';
import { UidPrecreator } from '../restore/uid-precreate.js';
import { CopiedPoints } from './copied-points.js';
import { KIND_FLOAT } from '../format/point-value.js';
import type { ReplicationState } from './replication-state.js';
import { StandbySink } from './standby-sink.js';
import { minOf } from '../numbers/extremes.js';

export interface CycleOptions {
  selection: MetricSelection;
  overlapMs: number;
  /** Copy up to here (inclusive, ms): now less the settle time. */
  until: number;
  /** Time until the next pass: the next pass reads from about `until` less the overlap. */
  intervalMs: number;
  concurrency: number;
  putConcurrency: number;
  gzip: boolean;
  read: Omit<ReadConfig, 'contextFloor' | 'signal' | 'progress'>;
}

export interface CycleDeps {
  source: TsdClient;
  target: TsdClient;
  state: ReplicationState;
  /** Per metric, what was copied in the stretch passes read again. */
  copied: Map<string, CopiedPoints>;
  /** Persists the state (may defer within a short interval); `force` writes now. */
  save: (force?: boolean) => Promise<void>;
  progress: ProgressReporter;
  signal?: AbortSignal;
}

export interface MetricFailure {
  metric: string;
  error: string;
}

export interface CycleResult {
  metrics: number;
  /** The selected metrics of the source (those deleted meanwhile left out). */
  names: string[];
  windows: number;
  pointsRead: number;
  pointsWritten: number;
  failed: MetricFailure[];
  /** The oldest checkpoint of the selected metrics (ms), or undefined before any metric was copied. */
  checkpoint?: number;
}

/** A primary that refuses connections or does not answer: every other metric would fail the same way. */
function primaryDown(err: unknown): boolean {
  for (let cur: unknown = err; cur; cur = (cur as { cause?: unknown }).cause) {
    if (cur instanceof TsdUnreachableError && !isBrokenExchange(cur)) return true;
  }
  return false;
}

function interrupted(err: unknown): boolean {
  for (let cur: unknown = err; cur; cur = (cur as { cause?: unknown }).cause) {
    if (cur instanceof TsdbBackupError && cur.code === 'INTERRUPTED') return true;
  }
  return false;
}

/** The oldest checkpoint among `metrics` (a metric never copied counts as the start). */
export function oldestCheckpoint(state: ReplicationState, metrics: readonly string[]): number | undefined {
  if (metrics.length === 0) return undefined;
  return minOf(metrics.map((m) => state.checkpoints[m] ?? state.start - 1));
}

export async function replicateCycle(opts: CycleOptions, deps: CycleDeps): Promise<CycleResult> {
  const { source, target, state, copied, progress, signal } = deps;
  progress({ type: 'phase', phase: 'discover', detail: source.toString() });
  const metrics = await discoverMetrics(source, opts.selection, { signal });
  const limits = await readTargetLimits(target, { signal });
  const tally: WriteTally = { points: 0, written: 0, failed: 0, requests: 0, failures: [] };
  const ctx: ChunkWriteContext = {
    client: target,
    putLimit: pLimit(opts.putConcurrency),
    limits,
    uids: new UidPrecreator(target, limits.maxBodyBytes),
    gzip: opts.gzip,
    tally,
    signal,
  };
  const result: CycleResult = { metrics: metrics.length, names: metrics, windows: 0, pointsRead: 0, pointsWritten: 0, failed: [] };
  const gone: string[] = [];
  progress({ type: 'plan', metrics: metrics.length });
  // Earlier passes may have written up to their `until` before their checkpoints were saved. Before
  // the first pass the standby may hold anything (a restored backup, an earlier replication): every
  // window is checked against it.
  const writtenThrough = state.writtenThrough ?? Number.MAX_SAFE_INTEGER;
  state.writtenThrough = Math.max(state.writtenThrough ?? Number.MIN_SAFE_INTEGER, opts.until);
  await deps.save(true);
  // What the next pass will read again (a pass that takes longer than the interval only reads more).
  const keepFrom = opts.until - opts.overlapMs - opts.intervalMs;

  await runParallel(metrics, { concurrency: opts.concurrency, signal }, async (metric, { signal: itemSignal }) => {
    const cp = state.checkpoints[metric];
    const from = Math.max(state.start, cp === undefined ? state.start : cp + 1 - opts.overlapMs);
    if (from > opts.until) return;
    const mine = copied.get(metric) ?? new CopiedPoints();
    copied.set(metric, mine);
    const read: ReadConfig = { ...opts.read, contextFloor: 0, signal: itemSignal, progress };
    const sink = new StandbySink(metric, ctx, mine, { writtenThrough, keepFrom, read });
    // A point copied before is not written again, so its kind needs no question to the primary.
    const knownKind = (key: string, ts: number) => (mine.has(key, ts) ? (mine.knownKind(key, ts) ?? KIND_FLOAT) : undefined);
    let ok = false;
    try {
      for await (const window of oldestFirst(source, metric, { start: from, end: opts.until }, read, { knownKind })) {
        throwIfAborted(itemSignal);
        const before = sink.written;
        await sink.write(window, itemSignal);
        if (sink.written > before) progress({ type: 'written', metric, points: sink.written - before, failed: 0 });
        result.windows++;
        state.checkpoints[metric] = Math.max(state.checkpoints[metric] ?? Number.MIN_SAFE_INTEGER, window.end);
        await deps.save();
      }
      ok = true;
    } catch (err) {
      if (isUnknownMetric(err)) {
        gone.push(metric); // deleted on the primary meanwhile
        return;
      }
      // An interruption (Ctrl-C, SIGTERM, another metric's fatal error) stops the pass, wrapped or not.
      if (!(err instanceof TsdbBackupError) || itemSignal?.aborted || signal?.aborted || interrupted(err) || primaryDown(err)) throw err;
      result.failed.push({ metric, error: `${metric}: ${err.message}` });
      progress({ type: 'warning', message: `${err.message}; ${metric} stays at its checkpoint and is tried again next cycle` });
    } finally {
      // Memory now holds every point of the metric on the standby from keepFrom on, unless the pass failed.
      mine.coveredFrom = ok ? keepFrom : undefined;
      result.pointsRead += sink.read;
      result.pointsWritten += sink.written;
      progress({ type: 'metric-done', metric, points: sink.written });
    }
  });
  await deps.save(true);
  result.failed.sort((a, b) => (a.metric < b.metric ? -1 : 1));
  result.names = metrics.filter((m) => !gone.includes(m));
  result.checkpoint = oldestCheckpoint(state, result.names);
  return result;
}
