// Times as operators write them for OpenTSDB: "now", relative "30d-ago", epoch seconds or
// milliseconds, ISO 8601, and OpenTSDB's "2026/01/31-12:00:00" form (UTC).

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  n: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

export class TimeSpecError extends Error {}

/** A duration like "90s", "15m", "1h", "7d", in ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w|n|y)$/.exec(text.trim());
  if (!m) throw new TimeSpecError(`'${text}' is not a duration (e.g. 90s, 15m, 1h, 7d)`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** Whether a time depends on when it is read ("now", "30d-ago"): two processes read it differently. */
export function isRelativeTime(text: string): boolean {
  const t = text.trim();
  return t === 'now' || /-ago$/.test(t);
}

/** Absolute time in ms since the epoch. */
export function parseTime(text: string, now: number): number {
  const t = text.trim();
  if (t === 'now') return now;
  const rel = /^(\d+)(ms|s|m|h|d|w|n|y)-ago$/.exec(t);
  if (rel) return now - Number(rel[1]) * UNITS[rel[2]!]!;
  if (/^\d{1,10}$/.test(t)) return Number(t) * 1000;
  if (/^\d{13}$/.test(t)) return Number(t);
  const tsdb = /^(\d{4})\/(\d{2})\/(\d{2})(?:[-\s](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  const iso = tsdb ? `${tsdb[1]}-${tsdb[2]}-${tsdb[3]}T${tsdb[4] ?? '00'}:${tsdb[5] ?? '00'}:${tsdb[6] ?? '00'}Z` : t;
  if (/^\d{4}-\d{2}-\d{2}/.test(iso)) {
    const withZone = /T.*(Z|[+-]\d{2}:?\d{2})$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`;
    const ms = Date.parse(withZone.includes('T') ? withZone : `${withZone}T00:00:00Z`);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new TimeSpecError(`'${text}' is not a time (use now, 30d-ago, 2026-01-31T12:00:00Z, 2026/01/31-12:00:00 or epoch seconds/ms)`);
}
