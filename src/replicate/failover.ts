// Failover: make the standby the cluster writers use. A final pass copies whatever the primary can
// still serve (up to now, no settle time); the standby is compared with the primary over recent time
// (points per metric); the failover is recorded in the state (failback copies back from there); then
// the operator's hook switches the writers and readers. It works with the primary down: then it says
// what could not be copied (per metric, from its checkpoint to now) instead of comparing.

import { TsdbBackupError, UsageError } from '../errors.js';
import type { TsdClient } from '../opentsdb/client.js';
import type { ProgressReporter } from '../progress.js';
import { compareCounts, type CountDifference } from './compare-counts.js';
import type { CopiedPoints } from './copied-points.js';
import { runHook } from './hook.js';
import { readState, writeState, type FailoverRecord, type ReplicationState } from './replication-state.js';
import { replicateCycle, type CycleOptions, type CycleResult } from './replicate-cycle.js';
import { lockState } from './state-lock.js';

export interface SwitchOptions extends Omit<CycleOptions, 'until' | 'intervalMs' | 'selection'> {
  stateFile: string;
  /** Compare this much recent time per metric. */
  compareMs: number;
  hook?: string;
  hookTimeoutMs: number;
  /** Refuse to switch (no record, no hook) when anything could not be copied or differs. */
  requireComplete: boolean;
}

export interface SwitchDeps {
  /** The cluster copied from (failover: the primary; failback: the standby) and the one copied to. */
  from: TsdClient;
  to: TsdClient;
  now: () => Date;
  progress: ProgressReporter;
  log: (line: string) => void;
  signal?: AbortSignal;
}

export interface SwitchResult {
  event: 'failover' | 'failback';
  at: string;
  from: string;
  to: string;
  pass: { ok: boolean; pointsWritten: number; error?: string };
  uncopied: FailoverRecord['uncopied'];
  comparison: { start: string; end: string; compared: number; points: number; differences: CountDifference[] } | { skipped: string };
  switched: boolean;
  hook?: { command: string; exitCode: number; durationMs: number };
}

export class SwitchIncompleteError extends TsdbBackupError {
  constructor(result: SwitchResult, what: string) {
    super('REPLICATION_PARTIAL', what, {
      hint: result.switched ? 'the switch was made; see the lists above for what the target lacks' : 'nothing was switched (--require-complete); fix the cause or run without --require-complete',
    });
    this.details = { result };
  }
}

/** Loads the state of the pair `source` -> `target` under its lock. */
export async function openPair(stateFile: string, source: string, target: string, command: string, now: Date): Promise<{ state: ReplicationState; release: () => Promise<void> }> {
  const release = await lockState(stateFile, command, now);
  try {
    const state = await readState(stateFile);
    if (!state) throw new UsageError(`no replication state at ${stateFile}`, { hint: 'pass the --state file of the replicate process for this pair' });
    if (state.source !== source || state.target !== target) {
      throw new UsageError(`the replication state ${stateFile} is for ${state.source} -> ${state.target}, not ${source} -> ${target}`, { hint: `${command} takes the same primary and standby as replicate` });
    }
    return { state, release };
  } catch (err) {
    await release();
    throw err;
  }
}

/** Runs one final pass; a source that fails is reported, not thrown (it may be the reason for the switch). */
export async function finalPass(opts: SwitchOptions, deps: SwitchDeps, state: ReplicationState, selection: CycleOptions['selection'], save: (force?: boolean) => Promise<void>): Promise<{ result?: CycleResult; error?: string; until: number }> {
  const until = deps.now().getTime();
  try {
    const result = await replicateCycle(
      { ...opts, selection, until, intervalMs: 0 },
      { source: deps.from, target: deps.to, state, copied: new Map<string, CopiedPoints>(), save, progress: deps.progress, signal: deps.signal },
    );
    return { result, until, ...(result.failed.length > 0 ? { error: `${result.failed.length} metric(s) failed` } : {}) };
  } catch (err) {
    if (err instanceof TsdbBackupError && err.code === 'INTERRUPTED') throw err;
    return { error: (err as Error).message, until };
  }
}

export async function runSwitchHook(event: 'failover' | 'failback', command: string | undefined, env: Record<string, string>, timeoutMs: number, log: (l: string) => void): Promise<SwitchResult['hook']> {
  if (!command) return undefined;
  const r = await runHook(command, { env: { TSDB_BACKUP_EVENT: event, ...env }, timeoutMs, log });
  return { command, ...r };
}

export async function failover(opts: SwitchOptions, deps: SwitchDeps, selection: CycleOptions['selection']): Promise<SwitchResult> {
  const { state, release } = await openPair(opts.stateFile, deps.from.toString(), deps.to.toString(), 'failover', deps.now());
  try {
    if (state.failover && (!state.failback || state.failback.at < state.failover.at)) {
      throw new UsageError(`${opts.stateFile} already records a failover at ${new Date(state.failover.at).toISOString()}`, { hint: 'run `tsdb-backup failback` first to come back to the primary' });
    }
    const save = async (): Promise<void> => writeState(opts.stateFile, state, deps.now());
    deps.progress({ type: 'phase', phase: 'final-pass', detail: `${deps.from} -> ${deps.to}` });
    const pass = await finalPass(opts, deps, state, selection, save);
    const metrics = Object.keys(state.checkpoints).sort();
    const failedBy = new Map((pass.result?.failed ?? []).map((f) => [f.metric, f.error]));
    const uncopied = metrics
      .filter((m) => (state.checkpoints[m] ?? state.start - 1) < pass.until)
      .map((m) => ({ metric: m, from: (state.checkpoints[m] ?? state.start - 1) + 1, to: pass.until, error: failedBy.get(m) ?? pass.error ?? 'not copied' }));
    let comparison: SwitchResult['comparison'];
    if (pass.result && !pass.error) {
      const range = { start: pass.until - opts.compareMs, end: pass.until };
      deps.progress({ type: 'phase', phase: 'compare', detail: `${metrics.length} metrics over the last ${Math.round(opts.compareMs / 60_000)} min` });
      const c = await compareCounts(deps.from, deps.to, metrics, range, { concurrency: opts.concurrency, signal: deps.signal });
      comparison = { start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString(), ...c };
    } else {
      comparison = { skipped: `the primary could not be read: ${pass.error}` };
    }
    const differs = 'differences' in comparison && comparison.differences.length > 0;
    const at = deps.now().getTime();
    const result: SwitchResult = {
      event: 'failover',
      at: new Date(at).toISOString(),
      from: deps.from.toString(),
      to: deps.to.toString(),
      pass: { ok: !pass.error, pointsWritten: pass.result?.pointsWritten ?? 0, ...(pass.error ? { error: pass.error } : {}) },
      uncopied,
      comparison,
      switched: false,
    };
    if (opts.requireComplete && (uncopied.length > 0 || differs)) {
      throw new SwitchIncompleteError(result, `failover refused (--require-complete): ${uncopied.length} metric(s) not copied up to now, ${differs ? (comparison as { differences: unknown[] }).differences.length : 0} differ`);
    }
    state.failover = { at, checkpoints: { ...state.checkpoints }, uncopied };
    await writeState(opts.stateFile, state, deps.now());
    result.switched = true;
    result.hook = await runSwitchHook('failover', opts.hook, { TSDB_BACKUP_PRIMARY: deps.from.toString(), TSDB_BACKUP_STANDBY: deps.to.toString(), TSDB_BACKUP_STATE: opts.stateFile }, opts.hookTimeoutMs, deps.log);
    if (uncopied.length > 0 || differs) {
      throw new SwitchIncompleteError(result, `failed over, but ${uncopied.length > 0 ? `${uncopied.length} metric(s) could not be copied up to now` : ''}${uncopied.length > 0 && differs ? ' and ' : ''}${differs ? `${(comparison as { differences: unknown[] }).differences.length} metric(s) differ in recent time` : ''}`);
    }
    return result;
  } finally {
    await release();
  }
}
