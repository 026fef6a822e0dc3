// What replication already copied, per series, over the stretch that passes read again (--overlap, for
// late points): the timestamps written to the standby, with the kind each was written with. A point
// read again is never written again: a point's kind as a query shows it can change when a point arrives
// after it (an integer followed by a new float prints as a double, kind-inference.ts), and writing it
// again with the other kind would give the standby two values for one timestamp ("Duplicate
// timestamp", which breaks every query of the series). Only points not copied before are written.
// Memory is kept per metric and only for what the next pass reads again; where it does not cover a
// stretch the standby may hold (after a restart, or a failed pass), the caller seeds it from the
// standby itself, kinds unknown.

import type { ValueKind } from '../format/point-value.js';
import type { Series } from '../format/series.js';

interface Copied {
  ts: number[];
  /** The kind written, or undefined when seeded from the standby. */
  kinds: Array<ValueKind | undefined>;
}

function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface NewPoints {
  /** The series with only the points not copied before; absent when there are none. */
  series?: Series;
  /** Records them as copied; call once the standby confirmed them. */
  commit: () => void;
}

/** One metric's copied points, per series key. */
export class CopiedPoints {
  private readonly bySeries = new Map<string, Copied>();
  /** Every point of the metric on the standby at or after this time is in memory (undefined: none). */
  coveredFrom: number | undefined;

  /** Records points the standby already holds (kinds unknown). */
  seed(keyed: Iterable<[string, readonly number[]]>): void {
    for (const [key, ts] of keyed)
      this.add(
        key,
        ts,
        ts.map(() => undefined),
      );
  }

  has(key: string, ts: number): boolean {
    const c = this.bySeries.get(key);
    if (!c) return false;
    const i = lowerBound(c.ts, ts);
    return c.ts[i] === ts;
  }

  /** The kind a copied point was written with, when known. */
  knownKind(key: string, ts: number): ValueKind | undefined {
    const c = this.bySeries.get(key);
    if (!c) return undefined;
    const i = lowerBound(c.ts, ts);
    return c.ts[i] === ts ? c.kinds[i] : undefined;
  }

  /** The points of `s` that were not copied before; `keepFrom`: only later points are remembered. */
  fresh(key: string, s: Series, keepFrom = Number.MIN_SAFE_INTEGER): NewPoints {
    const keep: number[] = [];
    for (let i = 0; i < s.timestamps.length; i++) if (!this.has(key, s.timestamps[i]!)) keep.push(i);
    if (keep.length === 0) return { commit: () => undefined };
    const series: Series = {
      tags: s.tags,
      timestamps: keep.map((i) => s.timestamps[i]!),
      kinds: keep.map((i) => s.kinds[i]!),
      values: keep.map((i) => s.values[i]!),
    };
    return {
      series,
      commit: () => {
        const from = lowerBound(series.timestamps, keepFrom);
        if (from < series.timestamps.length) this.add(key, series.timestamps.slice(from), series.kinds.slice(from));
      },
    };
  }

  private add(key: string, ts: readonly number[], kinds: ReadonlyArray<ValueKind | undefined>): void {
    const c = this.bySeries.get(key);
    if (!c) {
      this.bySeries.set(key, { ts: [...ts], kinds: [...kinds] });
      return;
    }
    // Mostly appends (passes move forward); late points are merged in order.
    if (c.ts.length === 0 || ts[0]! > c.ts.at(-1)!) {
      c.ts.push(...ts);
      c.kinds.push(...kinds);
      return;
    }
    const merged: Copied = { ts: [], kinds: [] };
    let i = 0;
    let j = 0;
    while (i < c.ts.length || j < ts.length) {
      if (j >= ts.length || (i < c.ts.length && c.ts[i]! <= ts[j]!)) {
        if (j < ts.length && c.ts[i] === ts[j]) j++;
        merged.ts.push(c.ts[i]!);
        merged.kinds.push(c.kinds[i]);
        i++;
      } else {
        merged.ts.push(ts[j]!);
        merged.kinds.push(kinds[j]);
        j++;
      }
    }
    this.bySeries.set(key, merged);
  }

  /** Forgets points before `ts`: passes no longer read them. */
  forgetBefore(ts: number): void {
    for (const [key, c] of this.bySeries) {
      const i = lowerBound(c.ts, ts);
      if (i === 0) continue;
      if (i === c.ts.length) this.bySeries.delete(key);
      else this.bySeries.set(key, { ts: c.ts.slice(i), kinds: c.kinds.slice(i) });
    }
  }
}
