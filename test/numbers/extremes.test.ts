import { describe, expect, it } from 'vitest';
import { maxOf, minOf } from '../../src/numbers/extremes.js';

describe('maxOf and minOf', () => {
  it('take as many values as there are (Math.max(...xs) throws past about 125,000)', () => {
    const many = Array.from({ length: 500_000 }, (_, i) => (i * 7919) % 500_000);
    expect(() => Math.max(...many)).toThrow(RangeError);
    expect(maxOf(many)).toBe(499_999);
    expect(minOf(many)).toBe(0);
  });

  it('agree with Math.max and Math.min, the empty case included', () => {
    for (const xs of [[3], [1, -2, 5], [4, 4], []]) {
      expect(maxOf(xs)).toBe(Math.max(...xs));
      expect(minOf(xs)).toBe(Math.min(...xs));
    }
    expect(maxOf([], 7)).toBe(7);
  });
});
