import { describe, expect, it } from 'vitest';
import { chooseParent, incrementalWindow } from '../../src/backup/incremental-window.js';
import { idAt, manifest } from '../support/manifests.js';

const H = 3_600_000;
const T = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('incremental window', () => {
  it.each([
    ['an hourly run after a 30-day full reads about an hour plus the overlap', T - H, T, { overlapMs: H, settleMs: 120_000 }, { start: T - 2 * H + 1, end: T - 120_000 }],
    ['no overlap starts right after the parent', T - H, T, { overlapMs: 0, settleMs: 0 }, { start: T - H + 1, end: T }],
    ['never starts before the chain', T - 10 * 60_000, T, { overlapMs: 60 * 24 * H, settleMs: 0 }, { start: T - 30 * 24 * H, end: T }],
  ])('%s', (_n, parentEnd, now, timing, expected) => {
    const parent = manifest({ id: idAt('2026-11-24T11:00:00Z'), finished: new Date(parentEnd).toISOString(), start: T - 30 * 24 * H, end: parentEnd });
    expect(incrementalWindow(parent, now, timing)).toEqual(expected);
  });

  it('chains to the newest backup of the same source, by completion time', () => {
    const a = manifest({ id: idAt('2026-11-24T10:00:00Z', 'ffffff'), finished: '2026-11-24T10:00:01.000Z' });
    const b = manifest({ id: idAt('2026-11-24T10:00:00Z', '000000'), finished: '2026-11-24T10:00:02.000Z', type: 'incremental', parent: a.id });
    const other = manifest({ id: idAt('2026-11-24T11:00:00Z'), finished: '2026-11-24T11:00:00.000Z', source: 'http://other:4242' });
    expect(chooseParent([a, b, other], 'http://tsd:4242/')?.id).toBe(b.id);
    expect(chooseParent([a, b, other], 'http://other:4242')?.id).toBe(other.id);
    expect(chooseParent([a, b], 'http://third:4242')).toBeUndefined();
  });
});
