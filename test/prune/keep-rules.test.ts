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
    ['keep-daily 3: the newest of each of the 3 newest days', { daily: 3 }, [at('2026-11-24T18:00:00Z'), at('2026-11-23T18:00:00Z'), at('2026-11-22T18:00:00Z')]],
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
