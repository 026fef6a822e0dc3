// The kinds of the points compare reads from a cluster, as far as its answer tells them. OpenTSDB 2.4
// prints an integer right before a float as a double ("3.0"; fetch/kind-inference.ts): one whose
// predecessor printed as an integer is an integer; one that no context resolves (the first point of a
// series in the answer, or one after a float) could be either, and no query can tell, so where the
// backup holds an integer of the same value there it is taken as that integer (as restore --verify
// does: restore/target-compare.ts). Without this every such point showed as "changed".

import { isAmbiguous, resolveAfterFirst } from '../fetch/kind-inference.js';
import { KIND_INT } from '../format/point-value.js';
import { seriesKey, type Series } from '../format/series.js';
import type { PointSet } from './point-set.js';

/** Settles the kinds of `series` (in place) against the backup's points of the same window. */
export function settleClusterKinds(metric: string, series: readonly Series[], backup: PointSet): void {
  for (const s of series) {
    resolveAfterFirst(s);
    const held = backup.get(seriesKey(metric, s.tags));
    if (!held) continue;
    for (let i = 0; i < s.timestamps.length; i++) {
      const value = s.values[i]!;
      if (!isAmbiguous(s.kinds[i]!, value)) continue;
      const ours = held.points.get(s.timestamps[i]!);
      if (ours?.kind === KIND_INT && Number(ours.value) === value) {
        s.kinds[i] = KIND_INT;
        s.values[i] = ours.value;
      }
    }
  }
}
