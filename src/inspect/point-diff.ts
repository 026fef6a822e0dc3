// The exact difference of two point sets: per metric the series and points only on one side, and the
// points on both sides (same series and timestamp) with another value or kind. The first few
// differences are kept as examples.

import { formatValueToken, KIND_INT } from '../format/point-value.js';
import type { Tags } from '../format/series.js';
import { samePoint, type PointSet, type StoredPoint } from './point-set.js';

export interface MetricDifference {
  metric: string;
  /** Series only in the left / right set. */
  seriesOnlyLeft: number;
  seriesOnlyRight: number;
  pointsOnlyLeft: number;
  pointsOnlyRight: number;
  pointsChanged: number;
}

export interface PointValueJson {
  kind: 'int' | 'float';
  /** The value as OpenTSDB writes it (a string, so that 64-bit integers and 1.0 survive JSON). */
  value: string;
}

export interface PointDifference {
  side: 'onlyLeft' | 'onlyRight' | 'changed';
  metric: string;
  tags: Tags;
  timestamp: number;
  left?: PointValueJson;
  right?: PointValueJson;
}

export interface PointSetDiff {
  metrics: MetricDifference[];
  examples: PointDifference[];
}

export function valueJson(p: StoredPoint): PointValueJson {
  return { kind: p.kind === KIND_INT ? 'int' : 'float', value: formatValueToken(p.kind, p.value) };
}

export function isEqual(d: PointSetDiff): boolean {
  return d.metrics.every((m) => m.seriesOnlyLeft + m.seriesOnlyRight + m.pointsOnlyLeft + m.pointsOnlyRight + m.pointsChanged === 0);
}

/** Adds the differences of `left` and `right` to `into` (per metric; at most `maxExamples` examples in all). */
export function diffPointSets(left: PointSet, right: PointSet, maxExamples: number, into: PointSetDiff = { metrics: [], examples: [] }): PointSetDiff {
  const byMetric = new Map(into.metrics.map((m) => [m.metric, m]));
  const metricOf = (name: string): MetricDifference => {
    let m = byMetric.get(name);
    if (!m) {
      byMetric.set(name, (m = { metric: name, seriesOnlyLeft: 0, seriesOnlyRight: 0, pointsOnlyLeft: 0, pointsOnlyRight: 0, pointsChanged: 0 }));
      into.metrics.push(m);
    }
    return m;
  };
  const example = (d: PointDifference): void => {
    if (into.examples.length < maxExamples) into.examples.push(d);
  };
  for (const [key, l] of left) {
    const m = metricOf(l.metric);
    const r = right.get(key);
    if (!r) m.seriesOnlyLeft++;
    for (const [t, p] of l.points) {
      const q = r?.points.get(t);
      if (!q) {
        m.pointsOnlyLeft++;
        example({ side: 'onlyLeft', metric: l.metric, tags: l.tags, timestamp: t, left: valueJson(p) });
      } else if (!samePoint(p, q)) {
        m.pointsChanged++;
        example({ side: 'changed', metric: l.metric, tags: l.tags, timestamp: t, left: valueJson(p), right: valueJson(q) });
      }
    }
  }
  for (const [key, r] of right) {
    const m = metricOf(r.metric);
    const l = left.get(key);
    if (!l) m.seriesOnlyRight++;
    for (const [t, q] of r.points) {
      if (l?.points.has(t)) continue;
      m.pointsOnlyRight++;
      example({ side: 'onlyRight', metric: r.metric, tags: r.tags, timestamp: t, right: valueJson(q) });
    }
  }
  into.metrics.sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  return into;
}
