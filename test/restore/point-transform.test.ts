import { describe, expect, it } from 'vitest';
import { KIND_FLOAT, KIND_INT, type ValueKind } from '../../src/format/point-value.js';
import { regexpFilter } from '../../src/opentsdb/tag-filter.js';
import { PointTransform, SHIFT_MAX_MS, SHIFT_MIN_MS, parseRenameRule, parseShift, parseTagRule } from '../../src/restore/point-transform.js';

describe('restore transforms', () => {
  it('--rename-metric maps exact names and globs, the first matching rule wins', () => {
    const t = new PointTransform({ renameMetric: [parseRenameRule('sys.cpu=cpu'), parseRenameRule('sys.*=old.sys.*'), parseRenameRule('a.*.b.*=x.*.*')] });
    expect(t.metric('sys.cpu')).toBe('cpu');
    expect(t.metric('sys.mem.free')).toBe('old.sys.mem.free');
    expect(t.metric('a.1.b.2')).toBe('x.1.2');
    expect(t.metric('other')).toBe('other');
  });

  it('rejects malformed rules with a message naming the option and the rule', () => {
    expect(() => parseRenameRule('sys.cpu')).toThrow(/--rename-metric 'sys.cpu': expected OLD=NEW/);
    expect(() => parseRenameRule('a=b=c')).toThrow(/expected OLD=NEW/);
    expect(() => parseRenameRule('a=*')).toThrow(/NEW has 1 '\*' but OLD only 0/);
    expect(() => parseRenameRule('a=b c')).toThrow(/'b c' is not a valid OpenTSDB name/);
    expect(() => parseTagRule('host')).toThrow(/--tag-map 'host': expected KEY=NEWKEY/);
    expect(() => parseShift('7 days')).toThrow(/--shift '7 days'/);
  });

  it('--tag-map renames keys and values; value rules see the source keys', () => {
    const t = new PointTransform({ tagMap: [parseTagRule('host=node'), parseTagRule('host:web1=web-1'), parseTagRule('dc:ams=AMS')] });
    expect(t.tags({ host: 'web1', dc: 'ams', x: 'y' })).toEqual({ node: 'web-1', dc: 'AMS', x: 'y' });
    expect(t.tags({ host: 'web2' })).toEqual({ node: 'web2' });
  });

  it("keeps a chunk's tag filters on the keys no tag rule touches, since they still select its series on the target", () => {
    const f = (tagk: string) => regexpFilter(tagk, '^w');
    const t = new PointTransform({ tagMap: [parseTagRule('host=node'), parseTagRule('rack=dc'), parseTagRule('zone:a=A')] });
    expect(t.targetFilters([f('host'), f('node'), f('dc'), f('rack'), f('zone'), f('id')])).toEqual([f('id')]);
    expect(t.targetFilters([f('zone')])).toBeUndefined();
    expect(t.targetFilters(undefined)).toBeUndefined();
    expect(new PointTransform({ renameMetric: [parseRenameRule('a=b')] }).targetFilters([f('host')])).toEqual([f('host')]);
  });

  it('--shift parses signed durations', () => {
    expect(parseShift('-7d')).toBe(-7 * 86_400_000);
    expect(parseShift('+1h')).toBe(3_600_000);
    expect(parseShift('250ms')).toBe(250);
  });

  it('applies all three to a chunk, keeping values and kinds', () => {
    const t = new PointTransform({ renameMetric: [parseRenameRule('m=n')], tagMap: [parseTagRule('h=host')], shiftMs: -1000 });
    const r = t.apply(
      'm',
      [{ tags: { h: 'a' }, timestamps: [1_700_000_000_000, 1_700_000_000_500], kinds: [KIND_INT, KIND_FLOAT], values: [2n ** 62n, 1.5] }],
      [{ start: 1_700_000_000_000, end: 1_700_000_000_500 }],
    );
    expect(r).toEqual({
      metric: 'n',
      series: [{ tags: { host: 'a' }, timestamps: [1_699_999_999_000, 1_699_999_999_500], kinds: [KIND_INT, KIND_FLOAT], values: [2n ** 62n, 1.5] }],
      intervals: [{ start: 1_699_999_999_000, end: 1_699_999_999_500 }],
    });
  });

  it('refuses a tag map that merges two series of a chunk', () => {
    const t = new PointTransform({ tagMap: [parseTagRule('h:a=b')] });
    const s = (h: string) => ({ tags: { h }, timestamps: [1_700_000_000_000], kinds: [KIND_INT] as ValueKind[], values: [1] as number[] });
    expect(() => t.apply('m', [s('a'), s('b')], [{ start: 0, end: 2e12 }])).toThrow(/merges two series of 'm' into m\{h=b\}/);
    expect(() => new PointTransform({ tagMap: [parseTagRule('a=b')] }).tags({ a: '1', b: '2' })).toThrow(/two 'b' tags/);
  });

  it('check refuses renames that merge metrics and shifts outside the storable times', () => {
    expect(() => new PointTransform({ renameMetric: [parseRenameRule('a.*=x')] }).check(['a.1', 'a.2'], [])).toThrow(/maps both 'a.1' and 'a.2' to 'x'/);
    const iv = { start: 1_700_000_000_000, end: 1_700_000_100_000 };
    expect(() => new PointTransform({ shiftMs: -iv.start + SHIFT_MIN_MS }).check(['m'], [{ metric: 'm', interval: iv }])).not.toThrow();
    expect(() => new PointTransform({ shiftMs: -iv.start + SHIFT_MIN_MS - 1 }).check(['m'], [{ metric: 'm', interval: iv }])).toThrow(
      /--shift .* moves points of 'm'/,
    );
    expect(() => new PointTransform({ shiftMs: SHIFT_MAX_MS - iv.end + 1 }).check(['m'], [{ metric: 'm', interval: iv }])).toThrow(
      /outside the times OpenTSDB can store/,
    );
  });
});
