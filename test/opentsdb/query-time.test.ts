import { describe, expect, it } from 'vitest';
import { queryTime, sentRange } from '../../src/opentsdb/query-time.js';
import { parseDateTimeString } from '../support/fake-tsd/time.js';

describe('query times', () => {
  it.each([0, 1, 999, 1000, 1001, 9_946_800_000, 9_999_999_999])('%i ms below 1e10 is sent in the dotted form the TSD reads as ms', (ms) => {
    const sent = queryTime(ms);
    expect(typeof sent).toBe('string');
    expect(parseDateTimeString(String(sent), 0)).toBe(ms);
  });

  it('larger times stay plain numbers', () => {
    expect(queryTime(10_000_000_000)).toBe(10_000_000_000);
    expect(queryTime(1_764_000_000_123)).toBe(1_764_000_000_123);
  });

  it('writes zero-padded seconds and milliseconds', () => {
    expect(queryTime(1_000_123)).toBe('0000001000.123');
    expect(queryTime(5)).toBe('0000000000.005');
  });

  it('refuses times it cannot send', () => {
    expect(() => queryTime(-1)).toThrow(RangeError);
    expect(() => queryTime(1.5)).toThrow(RangeError);
  });
});

describe('query ranges', () => {
  it('a range above 2^32 ms is sent as it is', () => {
    expect(sentRange(5_000_000_000, 9_000_000_000)).toEqual({ start: '0005000000.000', end: '0009000000.000', widened: false });
    expect(sentRange(4_298_400_000, 9_000_000_000)).toEqual({ start: '0004298400.000', end: '0009000000.000', widened: false });
    expect(sentRange(1_764_000_000_000, 1_764_000_000_999)).toEqual({ start: 1_764_000_000_000, end: 1_764_000_000_999, widened: false });
  });

  it('a range reaching below the first hour above 2^32 ms, which the TSD would scan as seconds, is widened to start at 0', () => {
    expect(sentRange(7_200_000, 9_000_000_000)).toEqual({ start: '0000000000.000', end: '0009000000.000', widened: true });
    expect(sentRange(2 ** 32, 9_000_000_000)).toEqual({ start: '0000000000.000', end: '0009000000.000', widened: true });
    expect(sentRange(1000, 2000)).toEqual({ start: '0000000000.000', end: '0004298400.000', widened: true });
    expect(sentRange(0, 4_298_400_000)).toEqual({ start: '0000000000.000', end: '0004298400.000', widened: false });
  });
});
