import { describe, expect, it } from 'vitest';
import { KIND_FLOAT, KIND_INT } from '../../src/format/point-value.js';
import { diffPointSets, isEqual } from '../../src/inspect/point-diff.js';
import { addSeries, type PointSet } from '../../src/inspect/point-set.js';

function set(metric: string, series: Array<{ tags: Record<string, string>; points: Array<[number, 0 | 1, number | bigint]> }>): PointSet {
  const s: PointSet = new Map();
  addSeries(
    s,
    metric,
    series.map((x) => ({ tags: x.tags, timestamps: x.points.map((p) => p[0]), kinds: x.points.map((p) => p[1]), values: x.points.map((p) => p[2]) })),
  );
  return s;
}

describe('diffPointSets', () => {
  it('counts points only on one side, changed values and changed kinds (1 vs 1.0), and new or gone series', () => {
    const left = set('m', [
      {
        tags: { host: 'a' },
        points: [
          [1, KIND_INT, 1],
          [2, KIND_INT, 2],
          [3, KIND_INT, 9007199254740993n],
        ],
      },
      { tags: { host: 'gone' }, points: [[1, KIND_FLOAT, 0.5]] },
    ]);
    const right = set('m', [
      {
        tags: { host: 'a' },
        points: [
          [1, KIND_FLOAT, 1],
          [3, KIND_INT, 9007199254740993n],
          [4, KIND_INT, 4],
        ],
      },
      { tags: { host: 'new' }, points: [[5, KIND_INT, 5]] },
    ]);
    const d = diffPointSets(left, right, 10);
    expect(d.metrics).toEqual([{ metric: 'm', seriesOnlyLeft: 1, seriesOnlyRight: 1, pointsOnlyLeft: 2, pointsOnlyRight: 2, pointsChanged: 1 }]);
    expect(d.examples.find((e) => e.side === 'changed')).toEqual({
      side: 'changed',
      metric: 'm',
      tags: { host: 'a' },
      timestamp: 1,
      left: { kind: 'int', value: '1' },
      right: { kind: 'float', value: '1.0' },
    });
    expect(isEqual(d)).toBe(false);
  });

  it('finds equal sets equal, 64-bit integers and NaN included', () => {
    const mk = (): PointSet =>
      set('m', [
        {
          tags: { h: 'x' },
          points: [
            [1, KIND_INT, 2n ** 62n],
            [2, KIND_FLOAT, NaN],
          ],
        },
      ]);
    const d = diffPointSets(mk(), mk(), 10);
    expect(isEqual(d)).toBe(true);
    expect(d.examples).toEqual([]);
  });

  it('keeps at most the asked number of examples but counts everything', () => {
    const left = set('m', [{ tags: { h: 'x' }, points: Array.from({ length: 50 }, (_, i) => [i + 1, KIND_INT, i] as [number, 0, number]) }]);
    const d = diffPointSets(left, new Map(), 3);
    expect(d.examples).toHaveLength(3);
    expect(d.metrics[0]!.pointsOnlyLeft).toBe(50);
  });
});
