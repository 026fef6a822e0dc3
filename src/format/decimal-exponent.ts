// Which float values a decimal mantissa and exponent hold exactly: gauges written with a few decimals
// (23.45) are m / 10^e for a small integer m, and that integer is far cheaper to store than the double.

export const MAX_EXPONENT = 15;
const POW10 = Array.from({ length: MAX_EXPONENT + 1 }, (_, e) => 10 ** e);

export function pow10(e: number): number {
  return POW10[e]!;
}

function exactAt(v: number, e: number): boolean {
  const p = POW10[e]!;
  const m = Math.round(v * p);
  return Number.isSafeInteger(m) && m / p === v;
}

/** The smallest exponent e with v === round(v*10^e)/10^e for every value, or -1. */
export function decimalExponent(values: readonly number[]): number {
  let e = 0;
  for (const v of values) {
    if (!Number.isFinite(v) || Object.is(v, -0)) return -1;
    while (e <= MAX_EXPONENT && !exactAt(v, e)) e++;
    if (e > MAX_EXPONENT) return -1;
  }
  // Exact at a smaller exponent implies exact at a larger one unless the mantissa outgrows 2^53.
  for (const v of values) if (!exactAt(v, e)) return -1;
  return e;
}

/** Every value is a 4-byte float widened to a double (what OpenTSDB returns for its 4-byte floats). */
export function allFloat32(values: readonly number[]): boolean {
  for (const v of values) if (Number.isNaN(v) || Math.fround(v) !== v) return false;
  return true;
}
