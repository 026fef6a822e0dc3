import { describe, expect, it } from 'vitest';
import * as v from '../../src/validation/schema.js';

const issuesOf = (s: v.Schema<unknown>, value: unknown) => {
  const r = s.safeParse(value);
  if (r.success) throw new Error(`accepted ${JSON.stringify(value)}`);
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('validation schemas', () => {
  const chunk = v.object({ key: v.string().regex(/^data\//, 'must be data/...'), points: v.number().int().nonnegative(), first: v.number().int().optional() });
  const doc = v.object({ version: v.literal(2), chunks: v.array(chunk), tags: v.record(v.string()).optional() });

  it('names the nested field that is wrong, with what was expected and what was there', () => {
    expect(
      issuesOf(doc, {
        version: 2,
        chunks: [
          { key: 'data/x', points: 1 },
          { key: 'x', points: -1 },
        ],
      }),
    ).toEqual(['chunks.1.key: must be data/...', 'chunks.1.points: must not be negative']);
    expect(issuesOf(doc, { version: 1, chunks: [] })).toEqual(['version: expected 2, got 1']);
    expect(issuesOf(doc, { version: 2 })).toEqual(['chunks: expected array, got undefined']);
    expect(issuesOf(doc, { version: 2, chunks: [], tags: { a: 1 } })).toEqual(['tags.a: expected string, got number']);
    expect(issuesOf(doc, [])).toEqual([': expected object, got array']);
    expect(issuesOf(v.number().int(), 1.5)).toEqual([': must be an integer']);
    expect(issuesOf(v.number(), Number.NaN)).toEqual([': expected number, got NaN']);
  });

  it('drops undeclared keys, keeps an absent optional key absent, and keeps everything with passthrough', () => {
    const out = doc.parse({ version: 2, chunks: [{ key: 'data/x', points: 3, extra: true }], other: 1 });
    expect(out).toStrictEqual({ version: 2, chunks: [{ key: 'data/x', points: 3 }] });
    expect(Object.keys(out.chunks[0]!)).toEqual(['key', 'points']);
    expect(v.object({ a: v.string() }).passthrough().parse({ a: 'x', b: 1 })).toStrictEqual({ a: 'x', b: 1 });
  });

  it('keeps a map key named __proto__ as data', () => {
    const tags = v.record(v.string()).parse(JSON.parse('{"__proto__":"x","host":"a"}'));
    expect(Object.keys(tags)).toEqual(['__proto__', 'host']);
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(issuesOf(v.record(v.string()), JSON.parse('{"__proto__":1}'))).toEqual(['__proto__: expected string, got number']);
  });

  it('refuses undeclared keys of a strict object by name', () => {
    expect(issuesOf(v.strictObject({ a: v.string().optional() }), { a: 'x', b: 1 })).toEqual(['b: is not a known field']);
  });

  it('runs a refinement only on a valid value, at the path it names', () => {
    const s = v
      .object({ sse: v.string().optional(), kms: v.string().optional() })
      .refine((o) => o.kms === undefined || o.sse === 'kms', "needs sse 'kms'", ['kms']);
    expect(issuesOf(s, { kms: 'k' })).toEqual(["kms: needs sse 'kms'"]);
    expect(issuesOf(s, { kms: 1 })).toEqual(['kms: expected string, got number']);
    expect(s.parse({ sse: 'kms', kms: 'k' })).toEqual({ sse: 'kms', kms: 'k' });
  });

  it('fills in defaults, accepts null only where nullable, and coerces numbers only where asked', () => {
    expect(v.object({ e: v.array(v.string()).default([]) }).parse({})).toEqual({ e: [] });
    expect(v.string().nullish().parse(null)).toBeNull();
    expect(issuesOf(v.string().optional(), null)).toEqual([': expected string, got null']);
    expect(v.coercedNumber().parse('42')).toBe(42);
    expect(issuesOf(v.coercedNumber(), 'x')).toEqual([': expected number, got "x"']);
  });

  it('chooses the union member a value fits, and says what would fit when none does', () => {
    const s = v.union([v.number(), v.literal('NaN')]);
    expect(s.parse('NaN')).toBe('NaN');
    expect(s.parse(1.5)).toBe(1.5);
    expect(issuesOf(s, 'nan')).toEqual([': expected number or "NaN", got "nan"']);
    expect(issuesOf(v.enumOf(['a', 'b']), 'c')).toEqual([": must be one of 'a', 'b'"]);
  });

  it('checks a tagged object by the schema its tag selects', () => {
    const s = v.discriminatedUnion('version', [v.object({ version: v.literal(1), a: v.string() }), v.object({ version: v.literal(2), b: v.number() })]);
    expect(s.parse({ version: 2, b: 1, a: 'dropped' })).toStrictEqual({ version: 2, b: 1 });
    expect(issuesOf(s, { version: 1, b: 1 })).toEqual(['a: expected string, got undefined']);
    expect(issuesOf(s, { version: 3 })).toEqual(['version: expected 1 or 2, got 3']);
  });

  it('accepts ISO UTC times as toISOString writes them and nothing looser', () => {
    const t = v.string().datetime();
    for (const ok of ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00.123Z', new Date(0).toISOString()]) expect(t.parse(ok)).toBe(ok);
    for (const bad of ['2026-01-01', '2026-01-01T00:00:00', '2026-13-01T00:00:00Z', '2026-01-01T00:00:00+01:00', 'x'])
      expect(t.safeParse(bad).success, bad).toBe(false);
  });

  it('lets a further check of a valid value report issues at paths of its own', () => {
    const s = v.object({ a: v.string(), b: v.string().optional() }).superRefine((o, addIssue) => {
      if (o.a === 'x') addIssue(['a'], 'must not be x');
      if (o.b === 'x') addIssue(['b'], 'must not be x either');
    });
    expect(issuesOf(s, { a: 'x', b: 'x' })).toEqual(['a: must not be x', 'b: must not be x either']);
    expect(issuesOf(s, { a: 1, b: 'x' })).toEqual(['a: expected string, got number']);
    expect(s.parse({ a: 'y' })).toEqual({ a: 'y' });
  });

  it('throws a SchemaError naming the fields from parse()', () => {
    expect(() => doc.parse({ version: 2, chunks: [{ key: 1, points: 0 }] })).toThrow(/chunks\.0\.key: expected string, got number/);
  });
});
