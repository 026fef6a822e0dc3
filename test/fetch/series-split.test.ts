import { describe, expect, it } from 'vitest';
import { chooseSplitKey, initialPartitions, partitionFilter, refinePartition } from '../../src/fetch/series-split.js';

function matcher(filter: string): RegExp {
  // Java's \Q...\E quoting, translated for the test's JavaScript regexps.
  return new RegExp(filter.replace(/\\Q(.*?)\\E/g, (_m, lit: string) => lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
}

describe('series partitions', () => {
  it('the initial partitions cover every value exactly once', () => {
    const parts = initialPartitions('host').map((p) => matcher(partitionFilter(p).filter));
    for (const value of ['web01', 'Web01', '01', 'zürich', '東京', '-x', '_', 'a', 'z', 'm']) {
      expect(parts.filter((r) => r.test(value)).length, value).toBe(1);
    }
  });

  it('refines a class into single characters, then one character deeper, still exactly once', () => {
    const [digits] = initialPartitions('host');
    const singles = refinePartition(digits!)!;
    expect(singles.map((p) => p.charClass)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const deeper = refinePartition(singles[1]!)!;
    const regexps = deeper.map((p) => matcher(partitionFilter(p).filter));
    for (const value of ['1', '10', '1a', '1Z', '1-x', '1東']) expect(regexps.filter((r) => r.test(value)).length, value).toBe(1);
    for (const value of ['2', 'a1']) expect(regexps.filter((r) => r.test(value)).length, value).toBe(0);
  });

  it('cannot refine the catch-all class or an exact value', () => {
    const other = initialPartitions('host').at(-1)!;
    expect(refinePartition(other)).toBeUndefined();
    expect(refinePartition({ tagk: 'host', prefix: 'a', charClass: '' })).toBeUndefined();
  });

  it('quotes the prefix so regexp characters in values are literal', () => {
    expect(partitionFilter({ tagk: 'host', prefix: 'a.b', charClass: '' }).filter).toBe('^a\\.b$');
  });

  it('chooses the key present in every sampled series with the most values', () => {
    const samples: Array<Record<string, string>> = [
      { host: 'a', dc: 'x', rare: '1' },
      { host: 'b', dc: 'x' },
      { host: 'c', dc: 'y' },
    ];
    expect(chooseSplitKey(samples, new Set())).toBe('host');
    expect(chooseSplitKey(samples, new Set(['host']))).toBe('dc');
    expect(chooseSplitKey([{}], new Set())).toBeUndefined();
  });
});
