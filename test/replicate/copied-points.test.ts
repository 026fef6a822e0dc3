import { describe, expect, it } from 'vitest';
import { KIND_FLOAT, KIND_INT } from '../../src/format/point-value.js';
import { CopiedPoints } from '../../src/replicate/copied-points.js';

const series = (ts: number[], kinds = ts.map(() => KIND_INT)) => ({ tags: { h: 'a' }, timestamps: ts, kinds: kinds as Array<0 | 1>, values: ts.map((t) => t) });

describe('CopiedPoints', () => {
  it('hands out only points not copied before, and remembers them once committed', () => {
    const c = new CopiedPoints();
    const first = c.fresh('k', series([1, 2, 3]));
    expect(first.series?.timestamps).toEqual([1, 2, 3]);
    // Not yet committed: still fresh.
    expect(c.fresh('k', series([1])).series?.timestamps).toEqual([1]);
    first.commit();
    const again = c.fresh('k', series([1, 2, 3, 4], [KIND_FLOAT, KIND_FLOAT, KIND_FLOAT, KIND_FLOAT]));
    expect(again.series?.timestamps).toEqual([4]);
    expect(c.knownKind('k', 2)).toBe(KIND_INT);
    expect(c.knownKind('other', 2)).toBeUndefined();
  });

  it('merges late points in order and forgets what passes no longer read', () => {
    const c = new CopiedPoints();
    c.fresh('k', series([10, 20, 30])).commit();
    c.fresh('k', series([5, 15, 20, 25, 40])).commit();
    expect([5, 10, 15, 20, 25, 30, 40].every((t) => c.has('k', t))).toBe(true);
    expect(c.has('k', 12)).toBe(false);
    c.forgetBefore(20);
    expect(c.has('k', 15)).toBe(false);
    expect(c.has('k', 20)).toBe(true);
    c.forgetBefore(100);
    expect(c.has('k', 40)).toBe(false);
  });

  it('remembers only points from keepFrom on, and points seeded from the standby (kind unknown)', () => {
    const c = new CopiedPoints();
    c.fresh('k', series([1, 2, 3, 4]), 3).commit();
    expect(c.has('k', 2)).toBe(false);
    expect(c.has('k', 3)).toBe(true);
    c.seed([['k', [7, 8]]]);
    expect(c.has('k', 8)).toBe(true);
    expect(c.knownKind('k', 8)).toBeUndefined();
    expect(c.fresh('k', series([8, 9])).series?.timestamps).toEqual([9]);
  });
});
