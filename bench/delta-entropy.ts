// How small a chunk of the benchmark mix could be for a coder of per-value differences: the order-0 entropy of
// each series' timestamp differences and value differences (exact integer or decimal mantissa differences),
// summed over the series, in bytes per point. The dataset's increments are independent draws, so no model of
// the differences does much better. Full-precision doubles and 4-byte floats have no such bound here: every
// value is distinct, and their random mantissa bits (52 and ~22) are what they cost.

import { decimalExponent, pow10 } from '../src/format/decimal-exponent.js';
import { KIND_INT } from '../src/format/point-value.js';
import type { Series } from '../src/format/series.js';

function entropyBits(symbols: Iterable<string | number>): number {
  const counts = new Map<string | number, number>();
  let n = 0;
  for (const s of symbols) {
    counts.set(s, (counts.get(s) ?? 0) + 1);
    n++;
  }
  let bits = 0;
  for (const c of counts.values()) bits -= c * Math.log2(c / n);
  return bits;
}

function* differences(xs: readonly bigint[]): Generator<string> {
  for (let i = 1; i < xs.length; i++) yield String(xs[i]! - xs[i - 1]!);
}

function exactValues(s: Series): bigint[] | undefined {
  if (s.kinds.every((k) => k === KIND_INT)) return s.values.map((v) => BigInt(v));
  if (s.kinds.some((k) => k === KIND_INT)) return undefined;
  const e = decimalExponent(s.values as number[]);
  if (e < 0) return undefined;
  return (s.values as number[]).map((v) => BigInt(Math.round(v * pow10(e))));
}

/** Bytes per point, or undefined when the values are not integers or decimals. */
export function deltaEntropyBytesPerPoint(list: readonly Series[]): number | undefined {
  let bits = 0;
  let points = 0;
  for (const s of list) {
    const values = exactValues(s);
    if (!values) return undefined;
    bits += entropyBits(differences(s.timestamps.map(BigInt))) + entropyBits(differences(values));
    points += s.timestamps.length;
  }
  return bits / 8 / points;
}
