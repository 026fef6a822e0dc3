// How a millisecond range is written in a query so that OpenTSDB 2.4.1 reads and scans all of it.
//
// Two rules of the TSD make small times unsafe (both checked in the 2.4.1 jar and on the real TSD):
// - DateTime.parseDateTimeString reads any number of 10 characters or fewer as seconds, so a plain ms
//   time below 1e10 (before 1970-04-26T17:46:40Z) is multiplied by 1000. The dotted form
//   "SSSSSSSSSS.mmm" (exactly 10 digits, a dot, 3 digits) is read as ms whatever its value: the dot is
//   removed and the 13 digits parsed, and being longer than 10 characters it is not multiplied.
// - TsdbQuery then guesses the unit again: a time with no bit above the low 32 (below 2^32 ms,
//   1970-02-19T17:02:47.296Z) is taken as seconds when it computes the rows to scan, so a start of
//   7,200,000 ms scans from 1970-03-25 and misses February (measured). Only 0 means the same in both
//   units. A start of exactly 2^32 ms failed too (its hour, where the scan begins, is below 2^32), and
//   1970-02-19T18:00:00Z, the first whole hour above, worked. So a range reaching below that hour is
//   widened to start at 0 (and to end there at least), and the caller drops the points outside the
//   range it asked for. Points stored below 2^32 ms cannot be read at all: a query reaching them gets a
//   nameless empty series (TsdNamelessSeriesError), never to be taken for "no data".
// Times of 1e10 ms and more stay plain numbers, which every TSD version reads as ms.

const SECONDS_BY_LENGTH_MS = 10_000_000_000;
/** Below this, TsdbQuery takes a time for seconds (Const.SECOND_MASK): 2^32 ms, up to its next whole hour. */
export const SECONDS_BY_VALUE_MS = Math.ceil(2 ** 32 / 3_600_000) * 3_600_000;

export function queryTime(ms: number): number | string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`cannot send the time ${ms} to OpenTSDB: not a non-negative integer of milliseconds`);
  if (ms >= SECONDS_BY_LENGTH_MS) return ms;
  const seconds = Math.floor(ms / 1000);
  return `${String(seconds).padStart(10, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

export interface SentRange {
  start: number | string;
  end: number | string;
  /** The TSD is asked for more than [start, end]: points outside it must be dropped. */
  widened: boolean;
}

/** The start and end to send for the inclusive ms range [start, end]. */
export function sentRange(start: number, end: number): SentRange {
  const s = start < SECONDS_BY_VALUE_MS ? 0 : start;
  const e = end < SECONDS_BY_VALUE_MS ? SECONDS_BY_VALUE_MS : end;
  return { start: queryTime(s), end: queryTime(e), widened: s !== start || e !== end };
}
