import { describe, expect, it } from 'vitest';
import { chooseParent, DEFAULT_TIMING, incrementalWindow, planIncremental } from '../../src/backup/incremental-window.js';
import { applyKeepRules } from '../../src/prune/keep-rules.js';
import { groupBySourceAndSelection } from '../../src/repository/sources.js';
import { idAt, manifest } from '../support/manifests.js';

const H = 3_600_000;
const T = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('incremental window', () => {
  it.each([
    [
      'an hourly run after a 30-day full reads about an hour plus the overlap',
      T - H,
      T,
      { overlapMs: H, settleMs: 120_000 },
      { start: T - 2 * H + 1, end: T - 120_000 },
    ],
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
    expect(chooseParent([a, b, other], { url: 'http://tsd:4242/' })?.id).toBe(b.id);
    expect(chooseParent([a, b, other], { url: 'http://other:4242' })?.id).toBe(other.id);
    expect(chooseParent([a, b], { url: 'http://third:4242' })).toBeUndefined();
  });

  it('matches a source however its URL is spelled: case, trailing slash, credentials, loopback names', () => {
    const a = manifest({ id: idAt('2026-11-24T10:00:00Z'), finished: '2026-11-24T10:00:01.000Z', source: 'http://127.0.0.1:4242' });
    for (const url of ['http://localhost:4242', 'HTTP://LOCALHOST:4242/', 'http://u:p@127.0.0.1:4242', 'http://[::1]:4242']) {
      expect(chooseParent([a], { url })?.id, url).toBe(a.id);
    }
    expect(chooseParent([a], { url: 'http://localhost:4243' })).toBeUndefined();
    // Other loopback addresses are other endpoints (SSH tunnels, containers): other clusters.
    expect(chooseParent([a], { url: 'http://127.0.0.2:4242' })).toBeUndefined();
    expect(chooseParent([a], { url: 'https://localhost:4242' })).toBeUndefined();
  });

  it('a named source chains only to backups of that name', () => {
    const base = manifest({ id: idAt('2026-11-24T10:00:00Z'), finished: '2026-11-24T10:00:01.000Z' });
    const prod = { ...base, source: { ...base.source, name: 'prod' } };
    const unnamed = manifest({ id: idAt('2026-11-24T11:00:00Z'), finished: '2026-11-24T11:00:01.000Z' });
    expect(chooseParent([prod, unnamed], { url: 'http://elsewhere:4242', name: 'prod' })?.id).toBe(prod.id);
    expect(chooseParent([prod, unnamed], { url: 'http://tsd:4242' })?.id).toBe(unnamed.id);
    expect(chooseParent([prod], { url: 'http://tsd:4242', name: 'staging' })).toBeUndefined();
  });

  describe('a one-off backup of a few metrics next to the scheduled chain', () => {
    const main = manifest({ id: idAt('2026-01-01T00:00:00Z'), finished: '2026-01-01T00:00:00.000Z', start: 1000 });
    const adhoc = {
      ...manifest({ id: idAt('2026-01-02T00:00:00Z', 'bbbbbb'), finished: '2026-01-02T00:00:00.000Z', start: Date.parse('2026-01-01T00:00:00Z') }),
      selection: { metrics: ['sys.cpu'] },
    };
    const now = Date.parse('2026-01-03T00:00:00Z');

    it('does not become the parent of the next incremental of every metric', () => {
      const plan = planIncremental([main, adhoc], { source: { url: 'http://tsd:4242' }, now, timing: DEFAULT_TIMING });
      expect(plan?.parent.id).toBe(main.id);
      expect(plan?.metrics).toEqual([]);
    });

    it('is extended by an incremental that asks for its selection', () => {
      const plan = planIncremental([main, adhoc], { source: { url: 'http://tsd:4242' }, now, timing: DEFAULT_TIMING, metrics: ['sys.cpu'] });
      expect(plan?.parent.id).toBe(adhoc.id);
    });

    it('an incremental matching neither chain is refused rather than guessed', () => {
      expect(() => planIncremental([main, adhoc], { source: { url: 'http://tsd:4242' }, now, timing: DEFAULT_TIMING, metrics: ['app.*'] })).toThrow(
        /select different metrics/,
      );
    });

    it('an incremental of one metric extends a chain of two when that is the only chain', () => {
      const two = { ...main, selection: { metrics: ['a', 'b'] } };
      const plan = planIncremental([two], { source: { url: 'http://tsd:4242' }, now, timing: DEFAULT_TIMING, metrics: ['a'] });
      expect(plan).toMatchObject({ parent: { id: two.id }, metrics: ['a'], exclude: [] });
    });

    it('retention keeps each selection apart: --keep-last 1 keeps both', () => {
      const kept = [...groupBySourceAndSelection([main, adhoc]).values()].flatMap((g) => [...applyKeepRules(g, { last: 1 }).keys()]);
      expect(kept.sort()).toEqual([main.id, adhoc.id].sort());
    });
  });
});
