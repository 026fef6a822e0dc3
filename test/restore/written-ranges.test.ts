import { describe, expect, it } from 'vitest';
import { WrittenRanges } from '../../src/restore/written-ranges.js';

describe('WrittenRanges', () => {
  it('merges ranges that touch or overlap, keeps the others apart, in order', () => {
    const w = new WrittenRanges();
    w.add(10, 20);
    w.add(30, 40);
    w.add(0, 5);
    expect(w.toJSON()).toEqual([
      [0, 5],
      [10, 20],
      [30, 40],
    ]);
    w.add(20, 30);
    expect(w.toJSON()).toEqual([
      [0, 5],
      [10, 40],
    ]);
    w.add(3, 12);
    expect(w.toJSON()).toEqual([[0, 40]]);
    expect(w.size).toBe(40);
  });

  it('answers membership for ascending and other queries', () => {
    const w = new WrittenRanges([
      [5, 8],
      [20, 21],
    ]);
    const asc = Array.from({ length: 25 }, (_, i) => i).filter((i) => w.has(i));
    expect(asc).toEqual([5, 6, 7, 20]);
    expect(w.has(6)).toBe(true);
    expect(w.has(4)).toBe(false);
    expect(w.has(21)).toBe(false);
    expect(new WrittenRanges().has(0)).toBe(false);
  });

  it('ignores empty ranges', () => {
    const w = new WrittenRanges([[3, 3]]);
    expect(w.toJSON()).toEqual([]);
  });

  it('answers a query below the last one, also inside the range before the cursor', () => {
    const w = new WrittenRanges([
      [0, 5],
      [10, 15],
    ]);
    expect(w.has(7)).toBe(false);
    expect(w.has(3)).toBe(true);
    expect(w.has(12)).toBe(true);
    expect(w.has(5)).toBe(false);
  });
});
