// Failback: after a failover, once the old primary answers again, copy back to it what the standby
// received since the primary stopped (from each metric's checkpoint at the failover, less the overlap;
// points the old primary already holds are not written again), compare, record, and run the hook that
// switches writers and readers back. Replication from the primary then resumes from the pre-failover
// checkpoints, so that what the primary held but never reached the standby is copied too.

import { UsageError } from '../errors.js';
import type { CycleOptions } from './replicate-cycle.js';
import { compareCounts } from './compare-counts.js';
import { finalPass, openPair, runSwitchHook, SwitchIncompleteError, type SwitchDeps, type SwitchOptions, type SwitchResult } from './failover.js';
import { STATE_FORMAT, STATE_VERSION, writeState, type ReplicationState } from './replication-state.js';

/** deps.from is the standby (copied from), deps.to the old primary. */
export async function failback(opts: SwitchOptions, deps: SwitchDeps, selection: CycleOptions['selection']): Promise<SwitchResult> {
  // The state belongs to the pair primary -> standby.
  const { state, release } = await openPair(opts.stateFile, deps.to.toString(), deps.from.toString(), 'failback', deps.now());
  try {
    const fo = state.failover;
    if (!fo || (state.failback && state.failback.at >= fo.at)) {
      throw new UsageError(`${opts.stateFile} records no failover to come back from`, { hint: 'failback follows `tsdb-backup failover`' });
    }
    // The reverse direction, in memory: what the old primary lacks begins at each metric's checkpoint.
    const known = Object.values(fo.checkpoints);
    const oldest = known.length > 0 ? Math.min(...known) : fo.at;
    const reverse: ReplicationState = {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      source: state.target,
      target: state.source,
      selection: state.selection,
      start: Math.min(oldest, fo.at) - opts.overlapMs,
      checkpoints: { ...fo.checkpoints },
      updatedAt: new Date(0).toISOString(),
    };
    deps.progress({ type: 'phase', phase: 'copy-back', detail: `${deps.from} -> ${deps.to} from ${new Date(reverse.start).toISOString()}` });
    const pass = await finalPass(opts, deps, reverse, selection, async () => undefined);
    const metrics = Object.keys(reverse.checkpoints).sort();
    const uncopied = metrics
      .filter((m) => reverse.checkpoints[m]! < pass.until)
      .map((m) => ({ metric: m, from: reverse.checkpoints[m]! + 1, to: pass.until, error: pass.result?.failed.find((f) => f.metric === m)?.error ?? pass.error ?? 'not copied' }));
    let comparison: SwitchResult['comparison'];
    if (pass.result && !pass.error) {
      const range = { start: reverse.start, end: pass.until };
      deps.progress({ type: 'phase', phase: 'compare', detail: `${metrics.length} metrics since ${new Date(range.start).toISOString()}` });
      const c = await compareCounts(deps.from, deps.to, metrics, range, { concurrency: opts.concurrency, signal: deps.signal });
      // The old primary may hold more than the standby (points that never reached it): only less is a difference.
      comparison = { start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString(), ...c, differences: c.differences.filter((d) => d.to < d.from) };
    } else {
      comparison = { skipped: `the copy back did not complete: ${pass.error}` };
    }
    const differs = 'differences' in comparison && comparison.differences.length > 0;
    const at = deps.now().getTime();
    const result: SwitchResult = {
      event: 'failback',
      at: new Date(at).toISOString(),
      from: deps.from.toString(),
      to: deps.to.toString(),
      pass: { ok: !pass.error, pointsWritten: pass.result?.pointsWritten ?? 0, ...(pass.error ? { error: pass.error } : {}) },
      uncopied,
      comparison,
      switched: false,
    };
    // Switching back to a primary that lacks what the standby received would hide those points from every reader.
    if (!pass.result || pass.error || uncopied.length > 0 || (differs && opts.requireComplete)) {
      throw new SwitchIncompleteError(result, `failback stopped before switching: ${pass.error ?? `${uncopied.length} metric(s) not copied back, ${differs ? 'counts differ' : ''}`}`);
    }
    // Back to replication from the primary, from the checkpoints before the failover: the standby may
    // hold anything after them (its own writes, now on the primary too), so every window is checked.
    state.failback = { at };
    delete state.writtenThrough;
    await writeState(opts.stateFile, state, deps.now());
    result.switched = true;
    result.hook = await runSwitchHook('failback', opts.hook, { TSDB_BACKUP_PRIMARY: deps.to.toString(), TSDB_BACKUP_STANDBY: deps.from.toString(), TSDB_BACKUP_STATE: opts.stateFile }, opts.hookTimeoutMs, deps.log);
    if (differs) throw new SwitchIncompleteError(result, `failback switched, but ${(comparison as { differences: unknown[] }).differences.length} metric(s) hold fewer points on ${deps.to} than on ${deps.from}`);
    return result;
  } finally {
    await release();
  }
}
