/**
 * Java's `Double.toString(double)` as implemented by JDK 8 .. 18
 * (`sun.misc.FloatingDecimal` / `jdk.internal.math.FloatingDecimal`).
 *
 * OpenTSDB 2.4.1 runs on JDK 8 or 17, and Jackson writes doubles with `String.valueOf(d)`,
 * so this is the exact text a real TSD puts in `/api/query` answers. JDK 19+ switched to the
 * shortest-digits algorithm (Raffaello Giulietti), which differs for some values, e.g.
 * 2.82879384806159E17 (JDK 17: "2.82879384806159008E17") or 1.0E23 (JDK 17: "9.999999999999999E22").
 * This module reimplements the old digit generation (Steele-White style free-format with its
 * int / long / big-integer paths and their slightly different stopping tests) and Java's layout
 * rules; it is checked against JDK 17 output in java-double.test.ts.
 */

const N_5_BITS = [0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61];
const LONG_5_POW: bigint[] = Array.from({ length: 27 }, (_, i) => 5n ** BigInt(i));
const SMALL_5_POW: number[] = Array.from({ length: 14 }, (_, i) => 5 ** i);
/** floor(i * log10(2)) for the small powers of two the integer path can meet. */
const INSIGNIFICANT_DIGITS = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7];

const EXP_SHIFT = 52;
const FRACT_HOB = 1n << 52n;
const SIGNIF_MASK = (1n << 52n) - 1n;
const MAX_SMALL_BIN_EXP = 62;
const MIN_SMALL_BIN_EXP = -21;

const buf = new DataView(new ArrayBuffer(8));

function doubleToBits(d: number): bigint {
  buf.setFloat64(0, d);
  return buf.getBigUint64(0);
}

function bitsToDouble(b: bigint): number {
  buf.setBigUint64(0, b);
  return buf.getFloat64(0);
}

function i64(x: bigint): bigint {
  return BigInt.asIntN(64, x);
}

function trailingZeros(x: bigint): number {
  let n = 0;
  while ((x & 1n) === 0n) {
    x >>= 1n;
    n++;
  }
  return n;
}

function bitLength(x: bigint): number {
  return x.toString(2).length;
}

interface Digits {
  digits: number[]; // decimal digits, most significant first
  decExponent: number; // value = 0.d1d2d3... * 10^decExponent
}

function estimateDecExp(fractBits: bigint, binExp: number): number {
  const d2 = bitsToDouble(0x3ff0000000000000n | (fractBits & SIGNIF_MASK));
  const d = (d2 - 1.5) * 0.289529654 + 0.176091259 + binExp * 0.301029995663981;
  return Math.floor(d);
}

function developLongDigits(lvalueIn: bigint, insignificant: number): Digits {
  let lvalue = lvalueIn;
  let decExponent = 0;
  if (insignificant !== 0) {
    const pow10 = 10n ** BigInt(insignificant);
    const residue = lvalue % pow10;
    lvalue /= pow10;
    decExponent += insignificant;
    if (residue >= pow10 >> 1n) lvalue++;
  }
  // strip trailing zeros, then emit the remaining digits
  let s = lvalue.toString();
  let stripped = 0;
  while (s.length > 1 && s.endsWith('0')) {
    s = s.slice(0, -1);
    stripped++;
  }
  decExponent += stripped + s.length;
  return { digits: Array.from(s, (c) => c.charCodeAt(0) - 48), decExponent };
}

function roundup(dg: Digits): void {
  const d = dg.digits;
  let i = d.length - 1;
  let q = d[i]!;
  if (q === 9) {
    while (q === 9 && i > 0) {
      d[i] = 0;
      q = d[--i]!;
    }
    if (q === 9) {
      dg.decExponent += 1;
      d[0] = 1;
      return;
    }
  }
  d[i] = q + 1;
}

function dtoa(binExp: number, fractBitsIn: bigint, nSignificantBits: number): Digits {
  let fractBits = fractBitsIn;
  const tailZeros = trailingZeros(fractBits);
  const nFractBits = EXP_SHIFT + 1 - tailZeros;
  const nTinyBits = Math.max(0, nFractBits - binExp - 1);

  if (binExp <= MAX_SMALL_BIN_EXP && binExp >= MIN_SMALL_BIN_EXP) {
    if (nTinyBits < LONG_5_POW.length && nFractBits + N_5_BITS[nTinyBits]! < 64 && nTinyBits === 0) {
      let insignificant = 0;
      if (binExp > nSignificantBits) {
        const p2 = binExp - nSignificantBits - 1;
        insignificant = p2 > 1 && p2 < INSIGNIFICANT_DIGITS.length ? INSIGNIFICANT_DIGITS[p2]! : 0;
      }
      const lvalue = binExp >= EXP_SHIFT ? fractBits << BigInt(binExp - EXP_SHIFT) : fractBits >> BigInt(EXP_SHIFT - binExp);
      return developLongDigits(lvalue, insignificant);
    }
  }

  let decExp = estimateDecExp(fractBits, binExp);
  const B5 = Math.max(0, -decExp);
  let B2 = B5 + nTinyBits + binExp;
  const S5 = Math.max(0, decExp);
  let S2 = S5 + nTinyBits;
  const M5 = B5;
  let M2 = B2 - nSignificantBits;

  fractBits >>= BigInt(tailZeros);
  B2 -= nFractBits - 1;
  const common2 = Math.min(B2, S2);
  B2 -= common2;
  S2 -= common2;
  M2 -= common2;
  if (nFractBits === 1) M2 -= 1;
  if (M2 < 0) {
    B2 -= M2;
    S2 -= M2;
    M2 = 0;
  }

  const digits: number[] = [];
  let low: boolean;
  let high: boolean;
  let lowDigitDifference: bigint;
  let q: number;
  const forceTwo = () => decExp < -3 || decExp >= 8;

  const Bbits = nFractBits + B2 + (B5 < N_5_BITS.length ? N_5_BITS[B5]! : B5 * 3);
  const tenSbits = S2 + 1 + (S5 + 1 < N_5_BITS.length ? N_5_BITS[S5 + 1]! : (S5 + 1) * 3);

  if (Bbits < 64 && tenSbits < 64) {
    if (Bbits < 32 && tenSbits < 32) {
      // int arithmetic (32-bit, wrapping like Java)
      let b = Math.imul(Number(BigInt.asIntN(32, fractBits)), SMALL_5_POW[B5]!) << B2;
      const s = SMALL_5_POW[S5]! << S2;
      let m = SMALL_5_POW[M5]! << M2;
      const tens = Math.imul(s, 10);
      q = Math.trunc(b / s);
      b = Math.imul(10, b % s);
      m = Math.imul(m, 10);
      low = b < m;
      high = ((b + m) | 0) > tens;
      if (q === 0 && !high) decExp--;
      else digits.push(q);
      if (forceTwo()) high = low = false;
      while (!low && !high) {
        q = Math.trunc(b / s);
        b = Math.imul(10, b % s);
        m = Math.imul(m, 10);
        if (m > 0) {
          low = b < m;
          high = ((b + m) | 0) > tens;
        } else {
          low = true;
          high = true;
        }
        digits.push(q);
      }
      lowDigitDifference = BigInt(((b << 1) - tens) | 0);
    } else {
      // long arithmetic (64-bit, wrapping like Java)
      let b = i64(i64(fractBits * LONG_5_POW[B5]!) << BigInt(B2 & 63));
      const s = i64(LONG_5_POW[S5]! << BigInt(S2 & 63));
      let m = i64(LONG_5_POW[M5]! << BigInt(M2 & 63));
      const tens = i64(s * 10n);
      q = Number(b / s);
      b = i64(10n * (b % s));
      m = i64(m * 10n);
      low = b < m;
      high = i64(b + m) > tens;
      if (q === 0 && !high) decExp--;
      else digits.push(q);
      if (forceTwo()) high = low = false;
      while (!low && !high) {
        q = Number(b / s);
        b = i64(10n * (b % s));
        m = i64(m * 10n);
        if (m > 0n) {
          low = b < m;
          high = i64(b + m) > tens;
        } else {
          low = true;
          high = true;
        }
        digits.push(q);
      }
      lowDigitDifference = i64(i64(b << 1n) - tens);
    }
  } else {
    // arbitrary precision
    const S = (5n ** BigInt(S5)) << BigInt(S2);
    let B = (fractBits * 5n ** BigInt(B5)) << BigInt(B2);
    let M = (5n ** BigInt(M5 + 1)) << BigInt(M2 + 1);
    const tenS = (5n ** BigInt(S5 + 1)) << BigInt(S2 + 1);
    q = Number(B / S);
    B = (B % S) * 10n;
    low = B < M;
    high = B + M >= tenS;
    if (q === 0 && !high) decExp--;
    else digits.push(q);
    if (forceTwo()) high = low = false;
    while (!low && !high) {
      q = Number(B / S);
      B = (B % S) * 10n;
      M = M * 10n;
      low = B < M;
      high = B + M >= tenS;
      digits.push(q);
    }
    if (high && low) {
      B <<= 1n;
      lowDigitDifference = B < tenS ? -1n : B > tenS ? 1n : 0n;
    } else {
      lowDigitDifference = 0n;
    }
  }

  const dg: Digits = { digits, decExponent: decExp + 1 };
  if (high) {
    if (low) {
      if (lowDigitDifference === 0n) {
        if ((digits[digits.length - 1]! & 1) !== 0) roundup(dg);
      } else if (lowDigitDifference > 0n) {
        roundup(dg);
      }
    } else {
      roundup(dg);
    }
  }
  return dg;
}

function layout(negative: boolean, dg: Digits): string {
  const { digits, decExponent } = dg;
  const nDigits = digits.length;
  const ds = digits.join('');
  let out = negative ? '-' : '';
  if (decExponent > 0 && decExponent < 8) {
    const charLength = Math.min(nDigits, decExponent);
    out += ds.slice(0, charLength);
    if (charLength < decExponent) {
      out += '0'.repeat(decExponent - charLength) + '.0';
    } else {
      out += '.' + (charLength < nDigits ? ds.slice(charLength) : '0');
    }
  } else if (decExponent <= 0 && decExponent > -3) {
    out += '0.' + '0'.repeat(-decExponent) + ds;
  } else {
    out += ds[0] + '.' + (nDigits > 1 ? ds.slice(1) : '0') + 'E';
    const e = decExponent <= 0 ? -decExponent + 1 : decExponent - 1;
    out += (decExponent <= 0 ? '-' : '') + String(e);
  }
  return out;
}

/** Exact emulation of Java (JDK 8..18) `Double.toString(x)`. */
export function javaDoubleToString(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  const bits = doubleToBits(x);
  const negative = bits >> 63n !== 0n;
  if (x === 0) return negative ? '-0.0' : '0.0';
  let fractBits = bits & SIGNIF_MASK;
  let binExp = Number((bits >> 52n) & 0x7ffn);
  let nSignificantBits: number;
  if (binExp === 0) {
    const leadingZeros = 64 - bitLength(fractBits);
    const shift = leadingZeros - (63 - EXP_SHIFT);
    fractBits <<= BigInt(shift);
    binExp = 1 - shift;
    nSignificantBits = 64 - leadingZeros;
  } else {
    fractBits |= FRACT_HOB;
    nSignificantBits = EXP_SHIFT + 1;
  }
  binExp -= 1023;
  return layout(negative, dtoa(binExp, fractBits, nSignificantBits));
}

const cache = new Map<number, string>();

/** Memoised {@link javaDoubleToString} for hot serialisation loops (bounded cache). */
export function javaDoubleToStringCached(x: number): string {
  if (Object.is(x, -0)) return '-0.0';
  let s = cache.get(x);
  if (s === undefined) {
    s = javaDoubleToString(x);
    if (cache.size > 200_000) cache.clear();
    cache.set(x, s);
  }
  return s;
}

/**
 * Java `Float.toString(f)` for the only floats the fake prints (query "time" fields, error
 * texts): integral values and anything whose shortest float digits JS can give. Good enough for
 * those uses; not a general emulation of the JDK float algorithm.
 */
export function javaFloatToString(x: number): string {
  const f = Math.fround(x);
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? 'Infinity' : '-Infinity';
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0';
  // shortest digits that round-trip through float
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const s = Math.abs(f).toExponential(p - 1);
    if (Math.fround(Number(s)) === Math.abs(f)) {
      const [mant, e] = s.split('e');
      digits = mant!.replace('.', '');
      exp = Number(e);
      break;
    }
  }
  while (digits.length > 1 && digits.endsWith('0')) digits = digits.slice(0, -1);
  return layout(f < 0, { digits: Array.from(digits, (c) => c.charCodeAt(0) - 48), decExponent: exp + 1 });
}

/**
 * `Double.toString(x)` as JDK 19 and later print it (shortest digits that round-trip, closest to
 * the exact value; Raffaello Giulietti's algorithm), for a TSD running on such a JVM.
 */
export function javaDoubleToStringShortest(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // JS Number#toString gives the shortest round-tripping digits (ties to the closest, then even)
  let [mant, e] = Math.abs(x).toExponential().split('e') as [string, string];
  if (!mant.includes('.')) {
    // a 1-digit result: JDK 19+ picks the closest 2-digit decimal that still round-trips
    const two = Math.abs(x).toExponential(1);
    if (Number(two) === Math.abs(x)) [mant, e] = two.split('e') as [string, string];
  }
  let digits = mant.replace('.', '');
  while (digits.length > 1 && digits.endsWith('0')) digits = digits.slice(0, -1);
  return layout(x < 0, { digits: Array.from(digits, (c) => c.charCodeAt(0) - 48), decExponent: Number(e) + 1 });
}
