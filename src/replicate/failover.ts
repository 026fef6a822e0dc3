// Failover: make the standby the cluster writers use. A final pass copies whatever the primary can
// still serve (up to now, no settle time); the standby is compared with the primary over recent time
// (points per metric); the failover is recorded in the state (failback copies back from there); then
// the operator's hook switches the writers and readers. It works with the primary down: then it says
// what could not be copied (per metric, from its checkpoint to now) instead of comparing.

import { TsdbBackupError, UsageError } from '../errors.js';
import type { TsdClient } from '../opentsdb/client.js';
import type { ProgressReporter } from '../progress.js';
import { compareCounts, type CountDifference } from './compare-counts.js';
import { readTargetLimits } from '../restore/target-limits.js';
import { sleep } from '../retry.js';
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
  /** Points younger than this may still be arriving: left out of comparisons, waited for after the hook. */
  settleMs: number;
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
  /** The pass after the hook, for points written to the old side until the writers moved. */
  trailing?: { ok: boolean; pointsWritten: number; error?: string };
}

export class SwitchIncompleteError extends TsdbBackupError {
  constructor(result: SwitchResult, what: string) {
    super('REPLICATION_PARTIAL', what, {
      hint: result.switched
        ? 'the switch was made; see the lists above for what the target lacks'
        : 'nothing was switched (--require-complete); fix the cause or run without --require-complete',
    });
    this.details = { result };
  }
}

/** Loads the state of the pair `source` -> `target` under its lock. */
export async function openPair(
  stateFile: string,
  source: string,
  target: string,
  command: string,
  now: Date,
): Promise<{ state: ReplicationState; release: () => Promise<void> }> {
  const release = await lockState(stateFile, command, now);
  try {
    const state = await readState(stateFile);
    if (!state) throw new UsageError(`no replication state at ${stateFile}`, { hint: 'pass the --state file of the replicate process for this pair' });
    if (state.source !== source || state.target !== target) {
      throw new UsageError(`the replication state ${stateFile} is for ${state.source} -> ${state.target}, not ${source} -> ${target}`, {
        hint: `${command} takes the same primary and standby as replicate`,
      });
    }
    return { state, release };
  } catch (err) {
    await release();
    throw err;
  }
}

export interface FinalPass {
  result?: CycleResult;
  error?: string;
  until: number;
}

/** Runs one final pass; a source that fails is reported, not thrown (it may be the reason for the switch). */
export async function finalPass(
  opts: SwitchOptions,
  deps: SwitchDeps,
  state: ReplicationState,
  selection: CycleOptions['selection'],
  save: (force?: boolean) => Promise<void>,
): Promise<FinalPass> {
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

export async function runSwitchHook(
  event: 'failover' | 'failback',
  command: string | undefined,
  env: Record<string, string>,
  timeoutMs: number,
  log: (l: string) => void,
): Promise<SwitchResult['hook']> {
  if (!command) return undefined;
  const r = await runHook(command, { env: { TSDB_BACKUP_EVENT: event, ...env }, timeoutMs, log });
  return { command, ...r };
}

export function switchResult(
  event: SwitchResult['event'],
  at: number,
  deps: SwitchDeps,
  pass: FinalPass,
  uncopied: SwitchResult['uncopied'],
  comparison: SwitchResult['comparison'],
): SwitchResult {
  return {
    event,
    at: new Date(at).toISOString(),
    from: deps.from.toString(),
    to: deps.to.toString(),
    pass: passSummary(pass),
    uncopied,
    comparison,
    switched: false,
  };
}

export function passSummary(pass: FinalPass): SwitchResult['pass'] {
  return { ok: !pass.error, pointsWritten: pass.result?.pointsWritten ?? 0, ...(pass.error ? { error: pass.error } : {}) };
}

/** What the final pass could not copy: per metric, from its checkpoint to the pass's end. */
export function uncopiedOf(state: ReplicationState, pass: FinalPass): FailoverRecord['uncopied'] {
  const failedBy = new Map((pass.result?.failed ?? []).map((f) => [f.metric, f.error]));
  // Metrics the source still has (when it answered), else every metric replicated so far.
  const metrics = pass.result ? [...new Set([...pass.result.names, ...failedBy.keys()])].sort() : Object.keys(state.checkpoints).sort();
  return metrics
    .filter((m) => failedBy.has(m) || (state.checkpoints[m] ?? state.start - 1) < pass.until)
    .map((m) => ({ metric: m, from: (state.checkpoints[m] ?? state.start - 1) + 1, to: pass.until, error: failedBy.get(m) ?? pass.error ?? 'not copied' }));
}

/** Counts per metric on both sides, up to a settle time before the pass's end (points still arriving). */
export async function compareAfter(
  opts: SwitchOptions,
  deps: SwitchDeps,
  pass: FinalPass,
  start: number,
  filter: (d: CountDifference) => boolean = () => true,
): Promise<SwitchResult['comparison']> {
  if (!pass.result) return { skipped: `the pass did not complete: ${pass.error}` };
  const range = { start, end: pass.until - opts.settleMs };
  deps.progress({ type: 'phase', phase: 'compare', detail: `${pass.result.names.length} metrics from ${new Date(range.start).toISOString()}` });
  const c = await compareCounts(deps.from, deps.to, pass.result.names, range, { concurrency: opts.concurrency, signal: deps.signal });
  return { start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString(), ...c, differences: c.differences.filter(filter) };
}

/** After the hook moved the writers: one more pass for the points written to the old side meanwhile. */
export async function trailingPass(
  opts: SwitchOptions,
  deps: SwitchDeps,
  state: ReplicationState,
  selection: CycleOptions['selection'],
  save: (force?: boolean) => Promise<void>,
): Promise<FinalPass> {
  deps.log(`waiting ${opts.settleMs} ms for points still arriving at ${deps.from}, then one more pass`);
  await sleep(opts.settleMs, deps.signal);
  return finalPass(opts, deps, state, selection, save);
}

export async function failover(opts: SwitchOptions, deps: SwitchDeps, selection: CycleOptions['selection']): Promise<SwitchResult> {
  const { state, release } = await openPair(opts.stateFile, deps.from.toString(), deps.to.toString(), 'failover', deps.now());
  try {
    return await failoverLocked(opts, deps, selection, state);
  } finally {
    await release();
  }
}

/** The failover, with the state already loaded and locked (by the command, or by the replicator itself). */
export async function failoverLocked(
  opts: SwitchOptions,
  deps: SwitchDeps,
  selection: CycleOptions['selection'],
  state: ReplicationState,
): Promise<SwitchResult> {
  if (state.failover && (!state.failback || state.failback.at < state.failover.at)) {
    throw new UsageError(`${opts.stateFile} already records a failover at ${new Date(state.failover.at).toISOString()}`, {
      hint: 'run `tsdb-backup failback` first to come back to the primary',
    });
  }
  // Switching to a standby that cannot take writes would move every writer to a dead cluster.
  await readTargetLimits(deps.to, { signal: deps.signal });
  const save = async (): Promise<void> => writeState(opts.stateFile, state, deps.now());
  deps.progress({ type: 'phase', phase: 'final-pass', detail: `${deps.from} -> ${deps.to}` });
  const pass = await finalPass(opts, deps, state, selection, save);
  const comparison = await compareAfter(opts, deps, pass, pass.until - opts.compareMs);
  const differs = 'differences' in comparison && comparison.differences.length > 0;
  const at = deps.now().getTime();
  const result = switchResult('failover', at, deps, pass, uncopiedOf(state, pass), comparison);
  if (opts.requireComplete && (pass.error || result.uncopied.length > 0 || differs)) {
    throw new SwitchIncompleteError(
      result,
      `failover refused (--require-complete): ${pass.error ? `${pass.error}; ` : ''}${result.uncopied.length} metric(s) not copied up to now, ${differs ? (comparison as { differences: unknown[] }).differences.length : 0} differ`,
    );
  }
  state.failover = { at, checkpoints: { ...state.checkpoints }, uncopied: result.uncopied };
  await writeState(opts.stateFile, state, deps.now());
  result.switched = true;
  result.hook = await runSwitchHook(
    'failover',
    opts.hook,
    { TSDB_BACKUP_PRIMARY: deps.from.toString(), TSDB_BACKUP_STANDBY: deps.to.toString(), TSDB_BACKUP_STATE: opts.stateFile },
    opts.hookTimeoutMs,
    deps.log,
  );
  if (pass.result && !pass.error) {
    // A planned switch: the primary answered, and writers reached it until the hook moved them.
    const after = await trailingPass(opts, deps, state, selection, save);
    result.trailing = passSummary(after);
    result.uncopied = uncopiedOf(state, after);
    state.failover = { at, checkpoints: { ...state.checkpoints }, uncopied: result.uncopied };
    await writeState(opts.stateFile, state, deps.now());
  }
  if (pass.error || result.uncopied.length > 0 || differs) {
    throw new SwitchIncompleteError(
      result,
      `failed over, but ${pass.error ? `the final pass did not complete (${pass.error})` : ''}${pass.error && result.uncopied.length > 0 ? '; ' : ''}${result.uncopied.length > 0 ? `${result.uncopied.length} metric(s) could not be copied up to now` : ''}${differs ? `${pass.error || result.uncopied.length > 0 ? '; ' : ''}${(comparison as { differences: unknown[] }).differences.length} metric(s) differ in recent time` : ''}`,
    );
  }
  return result;
}
