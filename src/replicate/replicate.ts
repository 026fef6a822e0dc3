// Continuous replication from a primary TSD to a standby: catch up from the checkpoint (or --start),
// then every interval copy what arrived since, less a settle time for points still arriving. A pass
// that fails is retried with backoff and never skipped: checkpoints move only past what the standby
// confirmed, so the lag shows any trouble. Meanwhile the primary is checked, and after enough failed
// checks in a row the operator's hook runs once.

import { InterruptedError, TsdbBackupError, UsageError } from '../errors.js';
import type { MetricSelection } from '../fetch/metric-selection.js';
import type { TsdClient } from '../opentsdb/client.js';
import type { ProgressReporter } from '../progress.js';
import { sleep as defaultSleep } from '../retry.js';
import type { CopiedPoints } from './copied-points.js';
import { runHook } from './hook.js';
import { watchPrimary, type PrimaryCheck } from './primary-watch.js';
import { readState, stateFor, writeState, type ReplicationState } from './replication-state.js';
import { oldestCheckpoint, replicateCycle, type CycleOptions, type CycleResult } from './replicate-cycle.js';
import { lockState } from './state-lock.js';
import { failoverLocked, SwitchIncompleteError, type SwitchOptions, type SwitchResult } from './failover.js';

export interface PrimaryDownHook {
  /** The operator's command (sh -c). */
  command?: string;
  everyMs: number;
  failAfter: number;
  timeoutMs: number;
}

export interface ReplicateOptions extends Omit<CycleOptions, 'until' | 'intervalMs'> {
  stateFile: string;
  /** Where replication begins (ms); needed when the state file is new. */
  start?: number;
  selectionText: { metrics: string[]; exclude: string[] };
  intervalMs: number;
  settleMs: number;
  once: boolean;
  /** How often a running pass reports its progress (default 30 s). */
  progressMs?: number;
  /** Fault detection of the primary (the loop only). */
  primaryWatch?: PrimaryDownHook & { check: () => Promise<PrimaryCheck> };
  /**
   * Fail over by itself once the primary is declared down: stop copying, run the failover (final pass,
   * record, `hook`) under the lock it already holds, and return.
   */
  autoFailover?: Pick<SwitchOptions, 'hook' | 'hookTimeoutMs' | 'compareMs' | 'settleMs'>;
}

export type ReplicationEvent =
  | ({ type: 'cycle'; until: number; lagMs: number; durationMs: number } & Omit<CycleResult, 'names'>)
  | { type: 'cycle-failed'; error: string; retryInMs: number; lagMs: number | undefined }
  | { type: 'primary-check-failed'; reason: string; consecutive: number }
  | { type: 'primary-down'; since: string; reason: string }
  | { type: 'hook'; event: string; command: string; exitCode: number; durationMs: number }
  | { type: 'primary-up'; downForMs: number }
  | { type: 'failover'; result: SwitchResult }
  | { type: 'progress'; lagMs: number | undefined; pointsWritten: number; metricsDone: number; metrics: number }
  | { type: 'stopped'; lagMs: number | undefined };

export interface ReplicateDeps {
  source: TsdClient;
  target: TsdClient;
  now: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  progress: ProgressReporter;
  events: (e: ReplicationEvent) => void;
  log: (line: string) => void;
  signal?: AbortSignal;
}

export interface ReplicateSummary {
  cycles: number;
  lastCycle?: CycleResult;
  state: ReplicationState;
  /** The failover the replicator made by itself (autoFailover). */
  failover?: SwitchResult;
}

const FIRST_BACKOFF_MS = 5_000;
const PROGRESS_MS = 30_000;

export class ReplicationIncompleteError extends TsdbBackupError {
  constructor(failed: CycleResult['failed']) {
    super(
      'REPLICATION_PARTIAL',
      `${failed.length} metric(s) could not be copied and stay at their checkpoints:\n${failed
        .slice(0, 10)
        .map((f) => `  ${f.error}`)
        .join('\n')}`,
      {
        hint: 'run again: the next pass copies them from their checkpoints',
      },
    );
    this.details = { failed };
  }
}

/** Loads (or starts) the state of this pair, checking that it is the same replication. */
export async function openReplicationState(
  opts: Pick<ReplicateOptions, 'stateFile' | 'start' | 'selectionText'>,
  source: string,
  target: string,
): Promise<ReplicationState> {
  const existing = await readState(opts.stateFile);
  if (!existing && opts.start === undefined) {
    throw new UsageError(`${opts.stateFile} does not exist yet: the first run needs --start (where replication begins)`, {
      hint: 'e.g. --start 30d-ago to copy the last 30 days first, or the time of the newest restored backup',
    });
  }
  return stateFor(existing, { source, target, selection: opts.selectionText, start: existing?.start ?? opts.start! }, opts.stateFile);
}

export function lagMs(state: ReplicationState, metrics: readonly string[] | undefined, now: Date): number | undefined {
  const names = metrics ?? Object.keys(state.checkpoints);
  const cp = oldestCheckpoint(state, names);
  return cp === undefined ? undefined : Math.max(0, now.getTime() - cp);
}

export async function replicate(opts: ReplicateOptions, deps: ReplicateDeps): Promise<ReplicateSummary> {
  const sleep = deps.sleep ?? defaultSleep;
  const release = await lockState(opts.stateFile, 'replicate', deps.now());
  const watchStop = new AbortController();
  let watcher: Promise<void> | undefined;
  try {
    const state = await openReplicationState(opts, deps.source.toString(), deps.target.toString());
    if (opts.start !== undefined && opts.start !== state.start && Object.keys(state.checkpoints).length > 0) {
      deps.progress({
        type: 'warning',
        message: `--start ${new Date(opts.start).toISOString()} is ignored: ${opts.stateFile} continues from its checkpoints (it began at ${new Date(state.start).toISOString()}); use a new --state file to start over`,
      });
    }
    if (state.failover && (!state.failback || state.failback.at < state.failover.at)) {
      throw new UsageError(`${opts.stateFile} records a failover at ${new Date(state.failover.at).toISOString()}: the standby is the primary now`, {
        hint: 'run `tsdb-backup failback` when the old primary is back, or use another --state file for replication from the new primary',
      });
    }
    let lastWrite = 0;
    const save = async (force = false): Promise<void> => {
      const t = deps.now().getTime();
      if (!force && t - lastWrite < 1000) return;
      lastWrite = t;
      await writeState(opts.stateFile, state, deps.now());
    };
    const copied = new Map<string, CopiedPoints>();
    // Stops the passes when the replicator fails over by itself.
    const stopLoop = new AbortController();
    const loopSignal = deps.signal ? AbortSignal.any([deps.signal, stopLoop.signal]) : stopLoop.signal;
    let failoverDue = false;
    const w = opts.primaryWatch;
    if (w && !opts.once) {
      const signal = deps.signal ? AbortSignal.any([deps.signal, watchStop.signal]) : watchStop.signal;
      watcher = watchPrimary({
        check: w.check,
        everyMs: w.everyMs,
        failAfter: w.failAfter,
        now: deps.now,
        sleep,
        signal,
        onFailedCheck: (reason, consecutive) => deps.events({ type: 'primary-check-failed', reason, consecutive }),
        onUp: (downForMs) => deps.events({ type: 'primary-up', downForMs }),
        onDown: async (reason, since) => {
          deps.events({ type: 'primary-down', since: since.toISOString(), reason });
          if (opts.autoFailover) {
            failoverDue = true;
            stopLoop.abort(new Error('the primary is down: failing over'));
          }
          if (!w.command) return;
          const env = {
            TSDB_BACKUP_EVENT: 'primary-down',
            TSDB_BACKUP_PRIMARY: deps.source.toString(),
            TSDB_BACKUP_STANDBY: deps.target.toString(),
            TSDB_BACKUP_REASON: reason,
            TSDB_BACKUP_DOWN_SINCE: since.toISOString(),
            TSDB_BACKUP_STATE: opts.stateFile,
          };
          try {
            const r = await runHook(w.command, { env, timeoutMs: w.timeoutMs, log: deps.log });
            deps.events({ type: 'hook', event: 'primary-down', command: w.command, exitCode: r.exitCode, durationMs: r.durationMs });
          } catch (err) {
            deps.events({ type: 'hook', event: 'primary-down', command: w.command, exitCode: -1, durationMs: 0 });
            deps.log((err as Error).message);
          }
        },
      });
    }

    let cycles = 0;
    let failures = 0;
    let lastCycle: CycleResult | undefined;
    let lastMetrics: string[] | undefined;
    while (!loopSignal.aborted) {
      const started = deps.now().getTime();
      const until = started - opts.settleMs;
      let waitMs = opts.intervalMs;
      // A long pass (a catch-up) says how far it got, and the lag, every PROGRESS_MS.
      const tally = { written: 0, metricsDone: 0, metrics: 0 };
      const progress = (e: Parameters<ReplicateDeps['progress']>[0]): void => {
        if (e.type === 'written') tally.written += e.points;
        if (e.type === 'metric-done') tally.metricsDone++;
        if (e.type === 'plan') tally.metrics = e.metrics;
        deps.progress(e);
      };
      const ticker = setInterval(() => {
        deps.events({
          type: 'progress',
          lagMs: lagMs(state, lastMetrics, deps.now()),
          pointsWritten: tally.written,
          metricsDone: tally.metricsDone,
          metrics: tally.metrics,
        });
      }, opts.progressMs ?? PROGRESS_MS);
      try {
        const r = await replicateCycle(
          { ...opts, until, intervalMs: opts.once ? 0 : opts.intervalMs },
          { source: deps.source, target: deps.target, state, copied, save, progress, signal: loopSignal },
        );
        cycles++;
        lastCycle = r;
        lastMetrics = r.names;
        const done = deps.now().getTime();
        const { names: _names, ...figures } = r;
        deps.events({
          type: 'cycle',
          until,
          lagMs: r.checkpoint === undefined ? done - until : Math.max(0, done - r.checkpoint),
          durationMs: done - started,
          ...figures,
        });
        if (opts.once) {
          if (r.failed.length > 0) throw new ReplicationIncompleteError(r.failed);
          break;
        }
        failures = r.failed.length > 0 ? failures + 1 : 0;
        waitMs = failures > 0 ? Math.min(opts.intervalMs, FIRST_BACKOFF_MS * 2 ** (failures - 1)) : Math.max(0, started + opts.intervalMs - done);
      } catch (err) {
        if (err instanceof InterruptedError || loopSignal.aborted) break;
        if (opts.once) throw err;
        failures++;
        waitMs = Math.min(opts.intervalMs, FIRST_BACKOFF_MS * 2 ** (failures - 1));
        deps.events({ type: 'cycle-failed', error: (err as Error).message, retryInMs: waitMs, lagMs: lagMs(state, lastMetrics, deps.now()) });
      } finally {
        clearInterval(ticker);
      }
      try {
        await sleep(waitMs, loopSignal);
      } catch {
        break;
      }
    }
    await save(true);
    if (failoverDue && !deps.signal?.aborted && opts.autoFailover) {
      const switchOpts: SwitchOptions = { ...opts, ...opts.autoFailover, requireComplete: false };
      const switchDeps = { from: deps.source, to: deps.target, now: deps.now, progress: deps.progress, log: deps.log, signal: deps.signal };
      try {
        const result = await failoverLocked(switchOpts, switchDeps, opts.selection, state);
        deps.events({ type: 'failover', result });
        return { cycles, lastCycle, state, failover: result };
      } catch (err) {
        if (err instanceof SwitchIncompleteError) deps.events({ type: 'failover', result: (err.details as { result: SwitchResult }).result });
        throw err;
      }
    }
    if (!opts.once) deps.events({ type: 'stopped', lagMs: lagMs(state, lastMetrics, deps.now()) });
    return { cycles, lastCycle, state };
  } finally {
    watchStop.abort();
    await watcher;
    await release();
  }
}
