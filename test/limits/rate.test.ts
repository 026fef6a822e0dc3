import { describe, expect, it } from 'vitest';
import { parseRate } from '../../src/limits/rate.js';

describe('parseRate', () => {
  it('reads points with SI multipliers', () => {
    expect(parseRate('5000', 'points')).toBe(5000);
    expect(parseRate('100k', 'points')).toBe(100_000);
    expect(parseRate('1.5M', 'points')).toBe(1_500_000);
    expect(parseRate('20k/s', 'points')).toBe(20_000);
  });

  it('reads bytes in powers of 1000 and of 1024', () => {
    expect(parseRate('1048576', 'bytes')).toBe(1_048_576);
    expect(parseRate('500KB', 'bytes')).toBe(500_000);
    expect(parseRate('50MB', 'bytes')).toBe(50_000_000);
    expect(parseRate('50mb', 'bytes')).toBe(50_000_000);
    expect(parseRate('20MiB', 'bytes')).toBe(20 * 1024 * 1024);
    expect(parseRate('1.5 GiB/s', 'bytes')).toBe(1.5 * 1024 ** 3);
    expect(parseRate('10M', 'bytes')).toBe(10_000_000);
    expect(parseRate('100B', 'bytes')).toBe(100);
  });

  it('refuses what is not a rate, saying what is expected', () => {
    for (const bad of ['', 'fast', '-5', '1e6', '10 MB extra', '20Mi', '0x10']) {
      expect(() => parseRate(bad, 'bytes'), bad).toThrow(/expected a number of bytes per second such as 500KB/);
    }
    expect(() => parseRate('10MB', 'points')).toThrow(/expected a number of points per second/);
  });

  it('refuses a rate below one per second and one beyond the safe integers', () => {
    expect(() => parseRate('0', 'points')).toThrow(/at least 1 point per second/);
    expect(() => parseRate('0.5', 'bytes')).toThrow(/at least 1 byte per second/);
    expect(() => parseRate('99999999999T', 'bytes')).toThrow(/too large/);
  });
});
