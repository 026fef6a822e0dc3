// Which backup of a chain speaks for which (metric, time). Restoring backup B writes, for every metric M
// and time t, the point of the newest backup in B's chain whose selection includes M and whose window
// covers t. An older backup's points are dropped only where a newer one covered that (M, t): a newer
// backup that did not select M, or whose window ends before its parent's (an incremental run within the
// settle lag of a full), takes nothing away from the older one. docs/FORMAT.md states the same rule.

import { selectMetrics } from '../fetch/metric-selection.js';
import type { Manifest } from '../format/manifest.js';
import { subtractIntervals, type Interval } from './time-intervals.js';

export class ChainCoverage {
  private readonly selects: Array<(metric: string) => boolean>;
  private readonly owned = new Map<string, Interval[]>();

  /** `chain`: oldest (the full backup) first, as resolveChain returns it. */
  constructor(readonly chain: readonly Manifest[]) {
    this.selects = chain.map((m) => {
      const s = selectMetrics(m.selection.metrics, m.selection.exclude);
      return (metric) => s.matches(metric);
    });
  }

  /** The times of `metric` for which backup `index` of the chain is the newest that covers them. */
  ownedBy(index: number, metric: string): Interval[] {
    const key = `${index}\u0000${metric}`;
    let r = this.owned.get(key);
    if (!r) {
      const newer: Interval[] = [];
      for (let j = index + 1; j < this.chain.length; j++) if (this.selects[j]!(metric)) newer.push(this.chain[j]!.range);
      r = this.selects[index]!(metric) ? subtractIntervals(this.chain[index]!.range, newer) : [];
      this.owned.set(key, r);
    }
    return r;
  }
}
