/**
 * net.opentsdb.utils.DateTime.parseDateTimeString / parseDuration (2.4.1):
 * - "<digits>ms" -> that many ms; "now"; "<n><unit>-ago" (units ms s m h d w n y; n = 30 d, y = 365 d);
 * - absolute "yyyy/MM/dd[ -]HH:mm[:ss]" (interpreted in UTC here unless a fixed-offset zone);
 * - numbers: at most 10 characters -> seconds (x1000), longer -> milliseconds as given
 *   (so "1356998400.5" becomes 13569984005 ms: the dotted form only works with 3 ms digits);
 *   dotted form must match ^[0-9]{10}\.[0-9]{1,3}$.
 */
import { IllegalArgument } from './errors.js';
import { JavaNumberFormatException, tagsParseLong } from './java-number.js';

export function parseDuration(duration: string): number {
  if (!duration) throw new IllegalArgument('Cannot parse null or empty duration');
  let unit = 0;
  while (/[0-9]/.test(duration[unit] ?? '')) {
    unit++;
    if (unit >= duration.length) throw new IllegalArgument('Invalid duration, must have an integer and unit: ' + duration);
  }
  const numText = duration.slice(0, unit);
  if (!/^[+-]?\d+$/.test(numText)) throw new IllegalArgument('Invalid duration (number): ' + duration);
  const interval = Number(numText);
  if (interval <= 0) throw new IllegalArgument('Zero or negative duration: ' + duration);
  const last = duration[duration.length - 1]!.toLowerCase();
  let multiplier: number;
  switch (last) {
    case 's':
      if (duration[duration.length - 2] === 'm') return interval;
      multiplier = 1;
      break;
    case 'm':
      multiplier = 60;
      break;
    case 'h':
      multiplier = 3600;
      break;
    case 'd':
      multiplier = 3600 * 24;
      break;
    case 'w':
      multiplier = 3600 * 24 * 7;
      break;
    case 'n':
      multiplier = 3600 * 24 * 30;
      break;
    case 'y':
      multiplier = 3600 * 24 * 365;
      break;
    default:
      throw new IllegalArgument('Invalid duration (suffix): ' + duration);
  }
  return interval * multiplier * 1000;
}

function parseAbsolute(datetime: string): number {
  const m = /^(\d{4})\/(\d{2})\/(\d{2})(?:[ -](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(datetime);
  const okLength = [10, 16, 19].includes(datetime.length);
  if (!okLength) throw new IllegalArgument('Invalid absolute date: ' + datetime);
  if (!m) throw new IllegalArgument(`Invalid date: ${datetime}. Unparseable date: "${datetime}"`);
  const [, y, mo, d, h, mi, s] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
}

/** Returns ms since epoch, or -1 for an empty value. */
export function parseDateTimeString(datetime: string | null, nowMs: number): number {
  if (datetime === null || datetime === '') return -1;
  if (/^[0-9]+ms$/.test(datetime)) return Number(tagsParseLong(datetime.slice(0, -2)));
  if (datetime.toLowerCase() === 'now') return nowMs;
  if (datetime.toLowerCase().endsWith('-ago')) return nowMs - parseDuration(datetime.slice(0, -4));
  if (datetime.includes('/') || datetime.includes(':')) return parseAbsolute(datetime);
  try {
    let time: bigint;
    if (datetime.includes('.')) {
      if (!/^[0-9]{10}\.[0-9]{1,3}$/.test(datetime)) {
        throw new IllegalArgument(
          `Invalid time: ${datetime}. Millisecond timestamps must be in the format <seconds>.<ms> where the milliseconds are limited to 3 digits`,
        );
      }
      time = tagsParseLong(datetime.replace('.', ''));
    } else {
      time = tagsParseLong(datetime);
    }
    if (time < 0n) throw new IllegalArgument(`Invalid time: ${datetime}. Negative timestamps are not supported.`);
    if (datetime.length <= 10) time *= 1000n;
    return Number(time);
  } catch (e) {
    if (e instanceof JavaNumberFormatException) throw new IllegalArgument(`Invalid time: ${datetime}. ${e.message}`);
    throw e;
  }
}
