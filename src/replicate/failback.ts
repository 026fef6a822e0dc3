// Failback: after a failover, once the old primary answers again, copy back to it what the standby
// received since the primary stopped (from each metric's checkpoint at the failover, less the overlap;
// points the old primary already holds are not written again), compare, record, and run the hook that
// switches writers and readers back. Replication from the primary then resumes from the pre-failover
// checkpoints, so that what the primary held but never reached the standby is copied too.

import { UsageError } from '../errors.js';
import type { CycleOptions } from './replicate-cycle.js';
import {
  compareAfter,
  finalPass,
  passSummary,
  switchResult,
  openPair,
  runSwitchHook,
  SwitchIncompleteError,
  trailingPass,
  uncopiedOf,
  type SwitchDeps,
  type SwitchOptions,
  type SwitchResult,
} from './failover.js';
import { readTargetLimits } from '../restore/target-limits.js';
import { STATE_FORMAT, STATE_VERSION, writeState, type ReplicationState } from './replication-state.js';
import { minOf } from '../numbers/extremes.js';

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
    const oldest = known.length > 0 ? minOf(known) : fo.at;
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
    // Copying into an old primary that cannot take writes would switch readers to a cluster missing data.
    await readTargetLimits(deps.to, { signal: deps.signal });
    deps.progress({ type: 'phase', phase: 'copy-back', detail: `${deps.from} -> ${deps.to} from ${new Date(reverse.start).toISOString()}` });
    const noSave = async (): Promise<void> => undefined;
    const pass = await finalPass(opts, deps, reverse, selection, noSave);
    // The old primary may hold more than the standby (points that never reached it): only less is a difference.
    const comparison = await compareAfter(opts, deps, pass, reverse.start, (d) => d.to < d.from);
    const differs = 'differences' in comparison && comparison.differences.length > 0;
    const at = deps.now().getTime();
    const result = switchResult('failback', at, deps, pass, uncopiedOf(reverse, pass), comparison);
    // Switching back to a primary that lacks what the standby received would hide those points from every reader.
    if (pass.error || result.uncopied.length > 0 || (differs && opts.requireComplete)) {
      throw new SwitchIncompleteError(
        result,
        `failback stopped before switching: ${pass.error ?? `${result.uncopied.length} metric(s) not copied back${differs ? ', counts differ' : ''}`}`,
      );
    }
    // Back to replication from the primary, from the checkpoints before the failover: the standby may
    // hold anything after them (its own writes, now on the primary too), so every window is checked.
    state.failback = { at };
    delete state.writtenThrough;
    await writeState(opts.stateFile, state, deps.now());
    result.switched = true;
    result.hook = await runSwitchHook(
      'failback',
      opts.hook,
      { TSDB_BACKUP_PRIMARY: deps.to.toString(), TSDB_BACKUP_STANDBY: deps.from.toString(), TSDB_BACKUP_STATE: opts.stateFile },
      opts.hookTimeoutMs,
      deps.log,
    );
    // Writers reached the standby until the hook moved them: copy those points too, or they would stay
    // on the standby only (replication runs primary -> standby from here on).
    const after = await trailingPass(opts, deps, reverse, selection, noSave);
    result.trailing = passSummary(after);
    result.uncopied = uncopiedOf(reverse, after);
    if (after.error || result.uncopied.length > 0) {
      throw new SwitchIncompleteError(
        result,
        `failed back, but the points written to ${deps.from} after the copy back could not all be copied (${after.error ?? `${result.uncopied.length} metric(s)`}); copy them with: tsdb-backup replicate --source ${deps.from} --target ${deps.to} --state <a new file> --start ${new Date(pass.until - opts.overlapMs).toISOString()} --once`,
      );
    }
    if (differs)
      throw new SwitchIncompleteError(
        result,
        `failback switched, but ${(comparison as { differences: unknown[] }).differences.length} metric(s) hold fewer points on ${deps.to} than on ${deps.from}`,
      );
    return result;
  } finally {
    await release();
  }
}
