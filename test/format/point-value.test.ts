import { describe, expect, it } from 'vitest';
import { formatValueToken, KIND_FLOAT, KIND_INT, parseValueToken } from '../../src/format/point-value.js';

describe('value tokens', () => {
  it.each([
    ['42', KIND_INT, 42],
    ['-42', KIND_INT, -42],
    ['9223372036854775807', KIND_INT, 9223372036854775807n],
    ['-9223372036854775808', KIND_INT, -9223372036854775808n],
    ['9007199254740993', KIND_INT, 9007199254740993n],
    ['9007199254740991', KIND_INT, 9007199254740991],
    ['1.0', KIND_FLOAT, 1],
    ['15.199999809265137', KIND_FLOAT, 15.199999809265137],
    ['1.0E-5', KIND_FLOAT, 1e-5],
    ['-0.0', KIND_FLOAT, -0],
    ['1.0E-300', KIND_FLOAT, 1e-300],
  ])('parses %s with its kind', (token, kind, value) => {
    const parsed = parseValueToken(token);
    expect(parsed.kind).toBe(kind);
    expect(Object.is(parsed.value, value)).toBe(true);
  });

  it('refuses integers outside 64 bits and non-numbers', () => {
    expect(() => parseValueToken('9223372036854775808')).toThrow(/64-bit/);
    expect(() => parseValueToken('abc')).toThrow(/not a number/);
  });

  it.each([
    [KIND_INT, 1, '1'],
    [KIND_INT, 9223372036854775807n, '9223372036854775807'],
    [KIND_FLOAT, 1, '1.0'],
    [KIND_FLOAT, -0, '-0.0'],
    [KIND_FLOAT, 1e21, '1e+21'],
    [KIND_FLOAT, 15.199999809265137, '15.199999809265137'],
    [KIND_FLOAT, 1e-300, '1e-300'],
  ] as const)('formats kind %i value %s as %s so OpenTSDB stores the same kind', (kind, value, token) => {
    expect(formatValueToken(kind, value)).toBe(token);
  });

  it('formats every float so that it parses back to the same double', () => {
    for (const x of [0.1, 1 / 3, Math.fround(15.2), 2 ** -1074, 1.7976931348623157e308, 123456789012345680000]) {
      const token = formatValueToken(KIND_FLOAT, x);
      expect(token).toMatch(/[.eE]/);
      expect(Number(token)).toBe(x);
    }
  });
});
