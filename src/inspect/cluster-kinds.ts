// The kinds of the points compare reads from a cluster, as far as its answer tells them. OpenTSDB 2.4
// prints an integer right before a float as a double ("3.0"; fetch/kind-inference.ts): what the answer
// proves stays proven, and a point nothing proves either way is taken as the backup's integer of the same
// value where it holds one (settleAgainst, as restore --verify does: restore/target-compare.ts). Without
// this every such point showed as "changed".

import { settleAgainst } from '../fetch/kind-inference.js';
import { seriesKey, type Series } from '../format/series.js';
import type { PointSet } from './point-set.js';

/** Settles the kinds of `series` (in place; each series whole, in time order) against the backup's points of the same window. */
export function settleClusterKinds(metric: string, series: readonly Series[], backup: PointSet): void {
  for (const s of series) {
    const held = backup.get(seriesKey(metric, s.tags));
    settleAgainst(s, (ts) => held?.points.get(ts));
  }
}
