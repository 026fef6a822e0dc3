// Parsers for option values; each failure names the option and the value.

import { UsageError } from '../errors.js';
import { CONTROL } from '../opentsdb/authorization.js';
import { BACKUP_ID, SET_NAME } from '../format/manifest.js';
import { parseDuration, parseTime } from '../time/parse-time.js';

export function positiveInt(option: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new UsageError(`${option} must be a whole number from 1 to ${max}, not '${value}'`);
    }
    return n;
  };
}

export interface DurationBounds {
  /** Smallest accepted value in ms (default 0). */
  min?: number;
  /** Largest accepted value in ms (default: the largest safe integer). */
  max?: number;
}

/** Node's timers (and AbortSignal.timeout) take at most 2^31-1 ms, about 24.8 days. */
export const MAX_TIMER_MS = 2_147_483_647;

function describeMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return ms > 86_400_000 ? `${ms} ms (about ${(ms / 86_400_000).toFixed(1)} days)` : `${ms}ms`;
}

export function durationMs(option: string, value: string, bounds: DurationBounds = {}): number {
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (err) {
    throw new UsageError(`${option}: ${(err as Error).message}`);
  }
  const min = bounds.min ?? 0;
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(ms) || ms > max) throw new UsageError(`${option} must be at most ${describeMs(max)}, not '${value}'`);
  if (ms < min) throw new UsageError(`${option} must be at least ${describeMs(min)}, not '${value}'`);
  return ms;
}

/** A commander parser that checks a duration when the command line is parsed and keeps its text. */
export function duration(option: string, bounds: DurationBounds = {}) {
  return (value: string): string => {
    durationMs(option, value, bounds);
    return value;
  };
}

/** The bounds of each duration option, in one place for the parsers and the later conversions. */
export const DURATION_BOUNDS = {
  timeout: { min: 1, max: MAX_TIMER_MS },
  waitLock: {},
  overlap: {},
  settle: {},
  keepWithin: {},
  /** health --slow: a step slower than this makes the TSD degraded */
  slow: { min: 1 },
  /** health --watch: the pause between rounds (at least a second, so a loop cannot hammer a TSD) */
  watch: { min: 1000, max: MAX_TIMER_MS },
} satisfies Record<string, DurationBounds>;

/** Refuses a range that ends before it starts; `startFlag`/`endFlag` name the options. */
export function assertOrdered(start: number, end: number, startFlag = '--start', endFlag = '--end'): void {
  if (start > end) {
    throw new UsageError(`${startFlag} ${new Date(start).toISOString()} is after ${endFlag} ${new Date(end).toISOString()}: nothing would be read`);
  }
}

export function timeMs(option: string, value: string, now: number): number {
  try {
    return parseTime(value, now);
  } catch (err) {
    throw new UsageError(`${option}: ${(err as Error).message}`);
  }
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function header(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf(':');
  // The value is never quoted: it is usually a credential. The name alone says which header is wrong.
  if (at <= 0) {
    // A name only where something visibly ends it: 'X-Api-Keyabc123' may be all secret.
    const name = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[\s=]/.exec(value)?.[1];
    throw new UsageError(
      `--header must look like 'Name: value'${name ? `: the one starting '${name}' has no ':' after its name` : ': no name followed by a colon'} (the value is not shown)`,
    );
  }
  const name = value.slice(0, at).trim();
  const content = value.slice(at + 1).trim();
  if (CONTROL.test(content))
    throw new UsageError(
      `--header ${name}: its value holds a control character (a line break, a NUL, ...), which no HTTP header may carry; the value is not shown`,
    );
  return { ...previous, [name.toLowerCase()]: content };
}

/** A backup id argument: checked as an id, so that a path (`../x`) never reaches the storage as a key. */
/** A backup id, or the name of a backup set (`--set`), which stands for the backup merged from its shards. */
export function backupIdArgument(value: string): string {
  if (!BACKUP_ID.test(value) && !SET_NAME.test(value)) {
    throw new UsageError(`'${value}' is not a backup id (they look like 20260131T120000Z-a1b2c3; \`tsdb-backup list\` shows them) nor a backup set's name`);
  }
  return value;
}
