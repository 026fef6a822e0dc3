import { describe, expect, it } from 'vitest';
import { parseDuration, parseTime } from '../../src/time/parse-time.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('time specifications', () => {
  it.each([
    ['now', NOW],
    ['30d-ago', NOW - 30 * 86_400_000],
    ['15m-ago', NOW - 15 * 60_000],
    ['1767225600', 1767225600000],
    ['1767225600123', 1767225600123],
    ['2026-01-01', Date.UTC(2026, 0, 1)],
    ['2026-01-01T12:30:00Z', Date.UTC(2026, 0, 1, 12, 30)],
    ['2026-01-01T12:30:00', Date.UTC(2026, 0, 1, 12, 30)],
    ['2026-01-01T12:30:00+02:00', Date.UTC(2026, 0, 1, 10, 30)],
    ['2026/01/01-12:30:00', Date.UTC(2026, 0, 1, 12, 30)],
    ['2026/01/01', Date.UTC(2026, 0, 1)],
  ])('%s', (text, expected) => {
    expect(parseTime(text, NOW)).toBe(expected);
  });

  it('rejects nonsense with a message that shows the accepted forms', () => {
    expect(() => parseTime('yesterday', NOW)).toThrow(/30d-ago/);
    expect(() => parseTime('2026-13-45', NOW)).toThrow();
  });

  it('parses durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(() => parseDuration('2 hours')).toThrow(/duration/);
  });
});
