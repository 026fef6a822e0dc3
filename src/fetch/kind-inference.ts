// Recovering which points are integers. OpenTSDB 2.4's aggregator `none` prints a point as a double
// when the point OR the next point in the scanned rows is a float (AggregationIterator.isInteger
// looks at both), so an integer right before a float comes back as "3.0". A printed double with an
// integral value is therefore ambiguous; everything else is certain. The true kind shows in how the
// PREVIOUS point printed: an integer-printed point proves that its successor is an integer too.
//   ambiguous p(i), p(i-1) printed int          -> p(i) is an integer
//   ambiguous p(i), p(i-1) printed double        -> float (if p(i-1) is an integer, p(i) must be a
//                                                   float; if p(i-1) is a float, no query can tell)
//   ambiguous p(i), no earlier point at all      -> float (no query can tell)
// The first point of a series in an answer needs the previous point from another answer, which is
// valid context only if that answer's scan reached p(i) (see scanReach).

import { KIND_FLOAT, KIND_INT, normalizeInt, type IntValue, type ValueKind } from '../format/point-value.js';
import type { Series } from '../format/series.js';

const HOUR_SECONDS = 3600;

/** The last millisecond a query ending at `endMs` scans (TsdbQuery: whole hour rows past end + 1 s). */
export function scanReach(endMs: number): number {
  const endSec = Math.floor(endMs / 1000) + 1;
  const scanEndSec = endSec + (HOUR_SECONDS - (endSec % HOUR_SECONDS));
  return scanEndSec * 1000 - 1;
}

export function isAmbiguous(kind: ValueKind, value: IntValue): boolean {
  return kind === KIND_FLOAT && typeof value === 'number' && Number.isInteger(value) && !Object.is(value, -0);
}

/** A double that printed an integer's value: exact below 2^53; above, the TSD already rounded it. */
function asInteger(v: number): IntValue {
  return Number.isSafeInteger(v) ? v : normalizeInt(BigInt(v));
}

/** The last point of a series as one answer printed it, and how far that answer's scan reached. */
export interface PrintedTail {
  ts: number;
  printed: ValueKind;
  reach: number;
}

/**
 * Resolves every ambiguous point after the first from its predecessor's printed kind (in place).
 * Returns the kinds as printed, and whether the first point still needs outside context.
 */
export function resolveAfterFirst(s: Series): { printed: ValueKind[]; firstAmbiguous: boolean } {
  const printed = s.kinds.slice();
  for (let i = 1; i < s.kinds.length; i++) {
    if (printed[i - 1] === KIND_INT && isAmbiguous(printed[i]!, s.values[i]!)) {
      s.kinds[i] = KIND_INT;
      s.values[i] = asInteger(s.values[i] as number);
    }
  }
  return { printed, firstAmbiguous: s.kinds.length > 0 && isAmbiguous(printed[0]!, s.values[0]!) };
}

/** What the previous point says about an ambiguous first point; 'ask' when the TSD must be asked. */
export function decideFirst(firstTs: number, tail: PrintedTail | 'none'): ValueKind | 'ask' {
  if (tail === 'none' || tail.printed === KIND_FLOAT) return KIND_FLOAT;
  return firstTs <= tail.reach ? KIND_INT : 'ask';
}

export function setFirstKind(s: Series, kind: ValueKind): void {
  if (kind === KIND_INT && s.kinds[0] === KIND_FLOAT) {
    s.kinds[0] = KIND_INT;
    s.values[0] = asInteger(s.values[0] as number);
  }
}

/** The printed tail of a series in an answer whose query ended at `endMs`. */
export function tailOf(s: Series, printed: readonly ValueKind[], endMs: number): PrintedTail | undefined {
  const n = s.timestamps.length;
  return n === 0 ? undefined : { ts: s.timestamps[n - 1]!, printed: printed[n - 1]!, reach: scanReach(endMs) };
}

/**
 * Settles the kinds of one series read back from a TSD to be compared with points a backup holds (in
 * place; the series whole, in time order). What the answer proves stays as proven: after a point printed
 * as an integer, an integral double is an integer (resolveAfterFirst); before one, it is a float (an
 * integer there would have printed as one). An integral double that nothing proves either way could be an
 * integer printed so because the point after it is a float: where the backup holds an integer of the same
 * value, it is taken as that integer, and the point after it is then a float whatever the backup says.
 */
export function settleAgainst(s: Series, held: (ts: number) => { kind: ValueKind; value: IntValue } | undefined): void {
  const { printed } = resolveAfterFirst(s);
  for (let i = 0; i < s.timestamps.length; i++) {
    if (!isAmbiguous(s.kinds[i]!, s.values[i]!)) continue;
    if (i + 1 < printed.length && printed[i + 1] === KIND_INT) continue;
    const ours = held(s.timestamps[i]!);
    if (ours?.kind !== KIND_INT || Number(ours.value) !== s.values[i]) continue;
    s.kinds[i] = KIND_INT;
    s.values[i] = ours.value;
    i++; // printed as a double because this next point is a float: it stays one
  }
}
