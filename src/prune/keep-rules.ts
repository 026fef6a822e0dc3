// restic-style keep rules. Each backup's time is when it finished. `keep-daily N` keeps the newest
// backup of each of the N most recent days that have one (likewise hourly, weekly, monthly, yearly);
// `keep-last N` the N newest; `keep-within D` every backup within D of the newest. Calendar buckets
// are taken in UTC unless a time zone is given. The result says why each kept backup is kept.

import type { Manifest } from '../format/manifest.js';

export interface KeepRules {
  last?: number;
  hourly?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
  yearly?: number;
  withinMs?: number;
}

export function hasRules(r: KeepRules): boolean {
  return Object.values(r).some((v) => v !== undefined && v > 0);
}

function parts(t: number, timeZone: string): { y: number; m: number; d: number; h: number; dow: number } {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    hourCycle: 'h23',
    weekday: 'short',
  });
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  const dow = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday!);
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), dow };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** ISO-8601 week, e.g. 2026-W48: the week (Monday to Sunday) and the year of its Thursday; week 1 holds the year's first Thursday. */
function isoWeek(y: number, m: number, d: number): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  const mondayBased = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(date.getTime() + (3 - mondayBased) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${pad(week)}`;
}

type Bucketer = (t: number) => string;

export function applyKeepRules(backups: readonly Manifest[], rules: KeepRules, timeZone = 'UTC'): Map<string, string[]> {
  const newestFirst = [...backups].sort((a, b) => Date.parse(b.finishedAt) - Date.parse(a.finishedAt));
  const reasons = new Map<string, string[]>();
  const keep = (m: Manifest, why: string): void => {
    const list = reasons.get(m.id) ?? [];
    list.push(why);
    reasons.set(m.id, list);
  };
  const time = (m: Manifest): number => Date.parse(m.finishedAt);

  newestFirst.slice(0, rules.last ?? 0).forEach((m, i) => keep(m, `last ${i + 1}`));

  const calendar: Array<[keyof KeepRules, string, Bucketer]> = [
    [
      'hourly',
      'hourly',
      (t) => {
        const p = parts(t, timeZone);
        return `${p.y}-${pad(p.m)}-${pad(p.d)} ${pad(p.h)}h`;
      },
    ],
    [
      'daily',
      'daily',
      (t) => {
        const p = parts(t, timeZone);
        return `${p.y}-${pad(p.m)}-${pad(p.d)}`;
      },
    ],
    [
      'weekly',
      'weekly',
      (t) => {
        const p = parts(t, timeZone);
        return isoWeek(p.y, p.m, p.d);
      },
    ],
    [
      'monthly',
      'monthly',
      (t) => {
        const p = parts(t, timeZone);
        return `${p.y}-${pad(p.m)}`;
      },
    ],
    ['yearly', 'yearly', (t) => String(parts(t, timeZone).y)],
  ];
  for (const [rule, label, bucket] of calendar) {
    const n = rules[rule] ?? 0;
    const seen = new Set<string>();
    for (const m of newestFirst) {
      if (seen.size >= n) break;
      const b = bucket(time(m));
      if (seen.has(b)) continue;
      seen.add(b);
      keep(m, `${label} ${b}`);
    }
  }

  if (rules.withinMs !== undefined && newestFirst.length > 0) {
    const newest = time(newestFirst[0]!);
    for (const m of newestFirst) if (newest - time(m) <= rules.withinMs) keep(m, 'within');
  }
  return reasons;
}
