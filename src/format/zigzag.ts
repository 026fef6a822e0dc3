// Zigzag mapping of signed integers to unsigned ones, for varints of deltas.

import type { IntValue } from './point-value.js';
import { normalizeInt } from './point-value.js';

const FAST_LIMIT = 2 ** 52;

/** Zigzag of a signed integer; stays a number while |v| <= 2^52 (so the result fits 2^53). */
export function zigzag(v: IntValue): IntValue {
  if (typeof v === 'number' && Math.abs(v) <= FAST_LIMIT) return v >= 0 ? v * 2 : -v * 2 - 1;
  const b = BigInt(v);
  return b >= 0n ? b << 1n : (-b << 1n) - 1n;
}

export function unzigzag(z: IntValue): IntValue {
  if (typeof z === 'number') return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  return normalizeInt(z & 1n ? -((z + 1n) >> 1n) : z >> 1n);
}

/** a - b exactly, as a number when the difference is small. */
export function subtractInt(a: IntValue, b: IntValue): IntValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = a - b;
    if (Math.abs(d) <= FAST_LIMIT) return d;
  }
  return normalizeInt(BigInt(a) - BigInt(b));
}
