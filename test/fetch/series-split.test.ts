import { describe, expect, it } from 'vitest';
import { chooseSplitKey, initialPartitions, mergeUnsampled, partitionFilter, refinePartition, splitFromEnd } from '../../src/fetch/series-split.js';

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

  it('refines the catch-all class into the punctuation a name may hold and the rest, still exactly once', () => {
    const other = initialPartitions('host').at(-1)!;
    const parts = refinePartition(other)!;
    const regexps = parts.map((p) => matcher(partitionFilter(p).filter));
    for (const value of ['-1', '_a', '.x', '/y', '東', '-']) expect(regexps.filter((r) => r.test(value)).length, value).toBe(1);
    for (const value of ['a', '0', 'Z']) expect(regexps.filter((r) => r.test(value)).length, value).toBe(0);
    // past the separator: "w-" then the usual classes
    const dash = parts.find((p) => p.charClass === '-')!;
    const deeper = refinePartition({ ...dash, prefix: 'w' })!.map((p) => matcher(partitionFilter(p).filter));
    for (const value of ['w-', 'w-00001', 'w-a', 'w--']) expect(deeper.filter((r) => r.test(value)).length, value).toBe(1);
    expect(deeper.filter((r) => r.test('w_1')).length).toBe(0);
  });

  it('cannot refine the rest of the catch-all class or an exact value', () => {
    const rest = refinePartition(initialPartitions('host').at(-1)!)!.at(-1)!;
    expect(refinePartition(rest)).toBeUndefined();
    expect(refinePartition({ tagk: 'host', prefix: 'a', charClass: '' })).toBeUndefined();
  });

  it('by trailing characters, covers every value exactly once at each level', () => {
    const values = ['w-00001', 'w-00011', 'w-1', '1', 'web', 'a.1', 'x/1', '東1', '1東', '11'];
    const level1 = initialPartitions('host', true);
    const covers = (parts: ReturnType<typeof initialPartitions>, v: string): number => parts.filter((p) => matcher(partitionFilter(p).filter).test(v)).length;
    for (const v of values) expect(covers(level1, v), v).toBe(1);
    const ones = refinePartition(refinePartition(level1[0]!)![1]!)!; // values ending in "1", by the character before
    expect(ones.every((p) => p.prefix === '1' && p.fromEnd)).toBe(true);
    for (const v of values.filter((x) => x.endsWith('1'))) expect(covers(ones, v), v).toBe(1);
    for (const v of values.filter((x) => !x.endsWith('1'))) expect(covers(ones, v), v).toBe(0);
  });

  it('reads the partitions no sampled value falls in as one, still covering every value exactly once', () => {
    const values = ['w-00001', 'w-1', 'web', 'a.1', 'x/1', '東', '1東', 'Z', '-', 'q_'];
    for (const fromEnd of [false, true]) {
      const parts = mergeUnsampled(initialPartitions('host', fromEnd), ['w-00001', 'w-00002']);
      expect(parts).toHaveLength(2);
      const covers = (ps: typeof parts, v: string): number => ps.filter((p) => matcher(partitionFilter(p).filter).test(v)).length;
      for (const v of values) expect(covers(parts, v), `${v} ${fromEnd}`).toBe(1);
      // refined, the merged partition gives back its parts, again exactly once
      const again = [parts[0]!, ...refinePartition(parts[1]!)!];
      expect(again).toHaveLength(7);
      for (const v of values) expect(covers(again, v), `${v} ${fromEnd}`).toBe(1);
    }
    // a deeper level: values starting with "w", as exactly "w" or by the class of the next character,
    // of which only the catch-all (with "-") was sampled
    const deeper = mergeUnsampled(refinePartition({ tagk: 'host', prefix: '', charClass: 'w' })!, ['w-1']);
    expect(deeper).toHaveLength(2);
    const hits = (v: string): number => deeper.filter((p) => matcher(partitionFilter(p).filter).test(v)).length;
    for (const v of ['w', 'w-1', 'wx', 'w_', 'ww', 'w0']) expect(hits(v), v).toBe(1);
    expect(hits('x')).toBe(0);
    // nothing sampled among the siblings: nothing to go by, they stay apart
    expect(mergeUnsampled(initialPartitions('host'), ['']).length).toBe(7);
  });

  it('splits by trailing characters when the sampled values vary more at their end', () => {
    const ids = Array.from({ length: 20 }, (_, i) => ({ host: `w-${String(i).padStart(5, '0')}` }));
    expect(splitFromEnd(ids, 'host')).toBe(true);
    expect(splitFromEnd([{ host: 'web.example.com' }, { host: 'db.example.com' }, { host: 'app.example.com' }], 'host')).toBe(false);
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
