// Points keyed by series and timestamp, as a restore of a backup would write them or as a TSD returns
// them: the common ground that diff and compare compare exactly (kind and value).

import type { IntValue, ValueKind } from '../format/point-value.js';
import { seriesKey, sortTags, type Series, type Tags } from '../format/series.js';
import type { Interval } from '../repository/time-intervals.js';
import { inIntervals } from '../repository/time-intervals.js';

export interface StoredPoint {
  kind: ValueKind;
  value: IntValue;
}

export interface SeriesPoints {
  metric: string;
  tags: Tags;
  points: Map<number, StoredPoint>;
}

/** seriesKey(metric, tags) -> the series' points. */
export type PointSet = Map<string, SeriesPoints>;

/** Adds the points of `series` that lie in `intervals` (all of them when absent). */
export function addSeries(set: PointSet, metric: string, series: readonly Series[], intervals?: readonly Interval[]): void {
  for (const s of series) {
    const key = seriesKey(metric, s.tags);
    let target = set.get(key);
    for (let i = 0; i < s.timestamps.length; i++) {
      const t = s.timestamps[i]!;
      if (intervals && !inIntervals(t, intervals)) continue;
      if (!target) set.set(key, (target = { metric, tags: sortTags(s.tags), points: new Map() }));
      target.points.set(t, { kind: s.kinds[i]!, value: s.values[i]! });
    }
  }
}

export function pointCount(set: PointSet): number {
  let n = 0;
  for (const s of set.values()) n += s.points.size;
  return n;
}

export function samePoint(a: StoredPoint, b: StoredPoint): boolean {
  return a.kind === b.kind && (a.value === b.value || Object.is(a.value, b.value));
}
