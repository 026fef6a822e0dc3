import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZING, nextWindowMs, windowStart } from '../../src/fetch/window-sizer.js';

const H = 3_600_000;

describe('window sizing', () => {
  it.each([
    ['aims at the target from the last density', H, DEFAULT_SIZING.targetPoints / 2, true, 2 * H],
    ['shrinks a window that returned too much', 4 * H, DEFAULT_SIZING.targetPoints * 4, true, H],
    ['grows at most 4x at once', H, 10, true, 4 * H],
    ['never goes below the minimum window', H, 1e12, true, DEFAULT_SIZING.minWindowMs],
    ['grows an empty window 4x', H, 0, true, 4 * H],
    ['caps empty windows at the maximum until data was seen', 6 * 24 * H, 0, false, DEFAULT_SIZING.maxWindowMs],
    ['lets empty windows grow past the maximum once data was seen', 6 * 24 * H, 0, true, 24 * 24 * H],
    ['caps non-empty windows at the maximum', 6 * 24 * H, 1, true, DEFAULT_SIZING.maxWindowMs],
  ])('%s', (_name, span, points, seen, expected) => {
    expect(nextWindowMs(DEFAULT_SIZING, span, points, seen)).toBe(expected);
  });

  it('aligns long windows to whole hours and never starts before the range', () => {
    const end = Date.UTC(2026, 0, 1, 10, 30) - 1;
    expect(windowStart(end, 2 * H, 0)).toBe(Date.UTC(2026, 0, 1, 8));
    expect(windowStart(end, 2 * H, Date.UTC(2026, 0, 1, 9, 15))).toBe(Date.UTC(2026, 0, 1, 9, 15));
    expect(windowStart(end, 60_000, 0)).toBe(end - 60_000 + 1);
  });
});
