// Float values, in whichever of three exact encodings is smallest for the series:
//  DECIMAL  v = m / 10^e for one exponent e per series (gauges with a few decimals): zigzag deltas of m;
//  FLOAT32  values that are widened 4-byte floats: 4 bytes each, XORed with the previous and byte-shuffled;
//  FLOAT64  anything else, including NaN and -0.0: 8 bytes each, XORed and byte-shuffled.
// The encoder proves exactness (decoding gives the same bits) before choosing DECIMAL.

import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';

const MODE_DECIMAL = 0;
const MODE_FLOAT32 = 1;
const MODE_FLOAT64 = 2;
const MAX_EXPONENT = 15;
const CHEAP_EXPONENT = 6;
const POW10 = Array.from({ length: MAX_EXPONENT + 1 }, (_, e) => 10 ** e);

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

function allFloat32(values: readonly number[]): boolean {
  for (const v of values) if (Number.isNaN(v) || Math.fround(v) !== v) return false;
  return true;
}

/** Transposes n words of `width` bytes so that byte i of every word is contiguous; XOR with the previous word first. */
function shuffleXor(words: Uint32Array, wordsPerValue: number, count: number): Uint8Array {
  const xored = new Uint32Array(words.length);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < wordsPerValue; j++) {
      const at = i * wordsPerValue + j;
      xored[at] = i === 0 ? words[at]! : (words[at]! ^ words[at - wordsPerValue]!) >>> 0;
    }
  }
  const bytes = new Uint8Array(xored.buffer);
  const width = wordsPerValue * 4;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < count; i++) for (let b = 0; b < width; b++) out[b * count + i] = bytes[i * width + b]!;
  return out;
}

function unshuffleXor(data: Uint8Array, wordsPerValue: number, count: number): Uint32Array {
  const width = wordsPerValue * 4;
  const bytes = new Uint8Array(count * width);
  for (let i = 0; i < count; i++) for (let b = 0; b < width; b++) bytes[i * width + b] = data[b * count + i]!;
  const words = new Uint32Array(bytes.buffer);
  for (let at = wordsPerValue; at < words.length; at++) words[at] = (words[at]! ^ words[at - wordsPerValue]!) >>> 0;
  return words;
}

function writeDecimal(w: ByteWriter, values: readonly number[], e: number): void {
  w.byte(MODE_DECIMAL);
  w.byte(e);
  const p = POW10[e]!;
  let prev = 0;
  for (const v of values) {
    const m = Math.round(v * p);
    const d = m - prev;
    // |m| < 2^53, so |d| < 2^54; zigzag in floating point is exact only below 2^52.
    if (Math.abs(d) <= 2 ** 52) w.uvarint(d >= 0 ? d * 2 : -d * 2 - 1);
    else {
      const b = BigInt(m) - BigInt(prev);
      w.uvarintBig(b >= 0n ? b << 1n : ((-b) << 1n) - 1n);
    }
    prev = m;
  }
}

export function writeFloats(w: ByteWriter, values: readonly number[]): void {
  if (values.length === 0) return;
  const e = decimalExponent(values);
  if (e >= 0 && e <= CHEAP_EXPONENT) return writeDecimal(w, values, e);
  if (allFloat32(values)) {
    w.byte(MODE_FLOAT32);
    w.bytes(shuffleXor(new Uint32Array(Float32Array.from(values).buffer), 1, values.length));
    return;
  }
  if (e >= 0) return writeDecimal(w, values, e);
  w.byte(MODE_FLOAT64);
  w.bytes(shuffleXor(new Uint32Array(Float64Array.from(values).buffer), 2, values.length));
}

function readVarintDelta(r: ByteReader): number {
  const z = r.uvarintAny();
  if (typeof z === 'number') return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  return Number(z & 1n ? -((z + 1n) >> 1n) : z >> 1n);
}

export function readFloats(r: ByteReader, count: number): number[] {
  if (count === 0) return [];
  const mode = r.byte();
  if (mode === MODE_DECIMAL) {
    const e = r.byte();
    if (e > MAX_EXPONENT) throw new Error(`decimal exponent ${e} out of range`);
    const p = POW10[e]!;
    const out = new Array<number>(count);
    let m = 0;
    for (let i = 0; i < count; i++) {
      m += readVarintDelta(r);
      if (!Number.isSafeInteger(m)) throw new Error(`decimal mantissa out of range at value ${i}`);
      out[i] = m / p;
    }
    return out;
  }
  if (mode === MODE_FLOAT32) return Array.from(new Float32Array(unshuffleXor(r.bytes(count * 4), 1, count).buffer));
  if (mode === MODE_FLOAT64) return Array.from(new Float64Array(unshuffleXor(r.bytes(count * 8), 2, count).buffer));
  throw new Error(`unknown float encoding ${mode}`);
}
