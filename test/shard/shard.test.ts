import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { selectMetrics } from '../../src/fetch/metric-selection.js';
import { inShard, parseShard, shardOf, shardSelection } from '../../src/shard/shard.js';

describe('shard assignment', () => {
  it('is fixed by the first 4 bytes of SHA-256 of the UTF-8 name, so it never changes between versions or machines', () => {
    // SHA-256("a") starts ca978112 = 3398926610 (a published test vector).
    expect(shardOf('a', 2 ** 32 - 1)).toBe(3398926610 % (2 ** 32 - 1));
    const expected: Array<[string, number, number, number]> = [
      // name, shard of 2, of 4, of 7 (computed once with an independent SHA-256)
      ['sys.cpu.user', 1, 1, 4],
      ['sys.cpu.system', 0, 2, 5],
      ['app.requests', 1, 3, 3],
      ['ümlaut.start', 0, 0, 3],
      ['a', 0, 2, 2],
      ['Z9/x', 1, 1, 3],
    ];
    for (const [name, of2, of4, of7] of expected) expect([name, shardOf(name, 2), shardOf(name, 4), shardOf(name, 7)]).toEqual([name, of2, of4, of7]);
  });

  it('puts every metric in exactly one shard, and spreads many metrics roughly evenly', () => {
    const names = Array.from({ length: 4000 }, (_, i) => `m.${i}`);
    const counts = [0, 0, 0, 0];
    for (const n of names) {
      const owners = [0, 1, 2, 3].filter((i) => inShard(n, { index: i, count: 4 }));
      expect(owners).toHaveLength(1);
      counts[owners[0]!]!++;
    }
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });

  it('narrows a selection to one shard, exact names included', () => {
    const s = shardSelection(selectMetrics(['sys.cpu.user', 'sys.cpu.system', 'app.*']), { index: 1, count: 4 });
    expect(s.exact).toEqual(['sys.cpu.user']);
    expect(s.matches('sys.cpu.user')).toBe(true);
    expect(s.matches('sys.cpu.system')).toBe(false);
    expect(s.matches('app.requests')).toBe(false);
    expect(s.matches('other')).toBe(false);
  });
});

describe('--shard i/n', () => {
  it('accepts 0-based indexes like JOB_COMPLETION_INDEX', () => {
    expect(parseShard('--shard', '0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard('--shard', '3/4')).toEqual({ index: 3, count: 4 });
    expect(parseShard('--shard', '0/1')).toEqual({ index: 0, count: 1 });
  });

  it.each([
    ['4/4', /0-based, 0 to 3/],
    ['1/0', /from 1 to 1024/],
    ['0/2000', /from 1 to 1024/],
    ['-1/4', /must be i\/n/],
    ['1', /must be i\/n/],
    ['a/b', /must be i\/n/],
    ['', /must be i\/n/],
  ])('refuses %s as a usage error', (value, message) => {
    expect(() => parseShard('--shard', value)).toThrow(UsageError);
    expect(() => parseShard('--shard', value)).toThrow(message);
  });
});
