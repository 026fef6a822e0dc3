import { describe, expect, it } from 'vitest';
import { applyKeepRules, type KeepRules } from '../../src/prune/keep-rules.js';
import { idAt, manifest } from '../support/manifests.js';

// One backup every 6 hours for 40 days, ending 2026-11-24T18:00Z (a Tuesday).
const backups = Array.from({ length: 160 }, (_, i) => {
  const t = new Date(Date.UTC(2026, 10, 24, 18) - i * 6 * 3_600_000).toISOString();
  return manifest({ id: idAt(t), finished: t });
});
const kept = (rules: KeepRules, tz?: string): string[] => [...applyKeepRules(backups, rules, tz).keys()].sort().reverse();
const at = (iso: string): string => idAt(iso);

describe('keep rules', () => {
  it.each<[string, KeepRules, string[]]>([
    ['keep-last 3', { last: 3 }, [at('2026-11-24T18:00:00Z'), at('2026-11-24T12:00:00Z'), at('2026-11-24T06:00:00Z')]],
    [
      'keep-daily 3: the newest of each of the 3 newest days',
      { daily: 3 },
      [at('2026-11-24T18:00:00Z'), at('2026-11-23T18:00:00Z'), at('2026-11-22T18:00:00Z')],
    ],
    ['keep-weekly 2: the newest of each ISO week', { weekly: 2 }, [at('2026-11-24T18:00:00Z'), at('2026-11-22T18:00:00Z')]],
    ['keep-monthly 2', { monthly: 2 }, [at('2026-11-24T18:00:00Z'), at('2026-10-31T18:00:00Z')]],
    ['keep-within 12h of the newest', { withinMs: 12 * 3_600_000 }, [at('2026-11-24T18:00:00Z'), at('2026-11-24T12:00:00Z'), at('2026-11-24T06:00:00Z')]],
  ])('%s', (_name, rules, expected) => {
    expect(kept(rules)).toEqual(expected);
  });

  it('rules add up and each kept backup says why', () => {
    const reasons = applyKeepRules(backups, { last: 1, daily: 2 });
    expect(reasons.get(at('2026-11-24T18:00:00Z'))).toEqual(['last 1', 'daily 2026-11-24']);
    expect(reasons.get(at('2026-11-23T18:00:00Z'))).toEqual(['daily 2026-11-23']);
    expect(reasons.size).toBe(2);
  });

  it('counts days in the given time zone', () => {
    // In Tokyo (UTC+9) 2026-11-24T18:00Z is already the 25th.
    expect(kept({ daily: 1 }, 'Asia/Tokyo')).toEqual([at('2026-11-24T18:00:00Z')]);
    const reasons = applyKeepRules(backups, { daily: 2 }, 'Asia/Tokyo');
    expect([...reasons.values()].flat()).toEqual(['daily 2026-11-25', 'daily 2026-11-24']);
  });

  it('keeps nothing without rules', () => {
    expect(applyKeepRules(backups, {}).size).toBe(0);
  });
});

describe('keep rule labels', () => {
  const one = (iso: string, rules: KeepRules): string[] => [...applyKeepRules([manifest({ id: idAt(iso), finished: iso })], rules).values()].flat();

  it.each([
    // A Sunday belongs to the ISO week that began the Monday before.
    ['2026-11-29T12:00:00Z', 'weekly 2026-W48'],
    ['2026-11-23T00:30:00Z', 'weekly 2026-W48'],
    ['2026-11-22T23:30:00Z', 'weekly 2026-W47'],
    // Week 1 is the week with the year's first Thursday: 2027-01-01 (a Friday) is still in 2026-W53.
    ['2027-01-01T12:00:00Z', 'weekly 2026-W53'],
    ['2027-01-04T12:00:00Z', 'weekly 2027-W01'],
    // 2024-12-30 (a Monday) is in 2025-W01.
    ['2024-12-30T12:00:00Z', 'weekly 2025-W01'],
    ['2026-03-01T12:00:00Z', 'weekly 2026-W09'],
  ])('the ISO week of %s is %s', (iso, label) => {
    expect(one(iso, { weekly: 1 })).toEqual([label]);
  });

  it('zero-pads months, days and hours', () => {
    expect(one('2026-03-05T07:00:00Z', { hourly: 1, daily: 1, monthly: 1 })).toEqual(['hourly 2026-03-05 07h', 'daily 2026-03-05', 'monthly 2026-03']);
  });
});
