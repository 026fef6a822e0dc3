import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/format/manifest.js';
import { ChainCoverage } from '../../src/repository/chain-coverage.js';
import { subtractIntervals } from '../../src/repository/time-intervals.js';
import { idAt, manifest } from '../support/manifests.js';

function backup(id: string, start: number, end: number, metrics: string[] = [], exclude?: string[], parent?: Manifest): Manifest {
  const m = manifest({ id: idAt(id), finished: '2026-11-24T10:00:00.000Z', start, end, type: parent ? 'incremental' : 'full', parent: parent?.id ?? null });
  return { ...m, selection: { metrics, ...(exclude ? { exclude } : {}) } };
}

describe('subtractIntervals', () => {
  it.each([
    ['nothing cut', { start: 0, end: 10 }, [], [[0, 10]]],
    ['the tail cut', { start: 0, end: 10 }, [{ start: 5, end: 20 }], [[0, 4]]],
    [
      'the middle cut: two pieces',
      { start: 0, end: 10 },
      [{ start: 3, end: 5 }],
      [
        [0, 2],
        [6, 10],
      ],
    ],
    ['everything cut', { start: 3, end: 5 }, [{ start: 0, end: 10 }], []],
    [
      'two cuts',
      { start: 0, end: 10 },
      [
        { start: 8, end: 12 },
        { start: 0, end: 1 },
      ],
      [[2, 7]],
    ],
    [
      'edges are inclusive',
      { start: 0, end: 10 },
      [
        { start: 10, end: 10 },
        { start: 0, end: 0 },
      ],
      [[1, 9]],
    ],
  ])('%s', (_n, base, cuts, expected) => {
    expect(subtractIntervals(base, cuts).map((i) => [i.start, i.end])).toEqual(expected);
  });
});

describe('chain coverage', () => {
  it('a child covers the overlap; the parent keeps everything before it', () => {
    const full = backup('2026-11-24T10:00:00Z', 0, 1000);
    const incr = backup('2026-11-24T11:00:00Z', 900, 2000, [], undefined, full);
    const c = new ChainCoverage([full, incr]);
    expect(c.ownedBy(0, 'm')).toEqual([{ start: 0, end: 899 }]);
    expect(c.ownedBy(1, 'm')).toEqual([{ start: 900, end: 2000 }]);
  });

  it('a child whose window ends before its parent ends leaves the parent its newest points', () => {
    const full = backup('2026-11-24T10:00:00Z', 0, 1000);
    const incr = backup('2026-11-24T11:00:00Z', 500, 880, [], undefined, full);
    expect(new ChainCoverage([full, incr]).ownedBy(0, 'm')).toEqual([
      { start: 0, end: 499 },
      { start: 881, end: 1000 },
    ]);
  });

  it('a child that did not select a metric takes nothing of it from the parent', () => {
    const full = backup('2026-11-24T10:00:00Z', 0, 1000, ['a', 'b']);
    const incr = backup('2026-11-24T11:00:00Z', 900, 2000, ['a'], undefined, full);
    const c = new ChainCoverage([full, incr]);
    expect(c.ownedBy(0, 'b')).toEqual([{ start: 0, end: 1000 }]);
    expect(c.ownedBy(1, 'b')).toEqual([]);
    expect(c.ownedBy(0, 'a')).toEqual([{ start: 0, end: 899 }]);
  });

  it('an excluded metric is not covered by the backup that excluded it', () => {
    const full = backup('2026-11-24T10:00:00Z', 0, 1000);
    const incr = backup('2026-11-24T11:00:00Z', 900, 2000, ['sys.*'], ['sys.disk.*'], full);
    const c = new ChainCoverage([full, incr]);
    expect(c.ownedBy(0, 'sys.disk.io')).toEqual([{ start: 0, end: 1000 }]);
    expect(c.ownedBy(0, 'sys.cpu')).toEqual([{ start: 0, end: 899 }]);
  });
});
