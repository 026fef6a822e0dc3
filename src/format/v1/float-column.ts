// Reader of chunk format version 1's float column (docs/FORMAT.md, appendix A): one column per series,
//  DECIMAL  zigzag varint deltas of m = v * 10^e;
//  FLOAT32  4-byte floats XORed with the previous one and byte-transposed;
//  FLOAT64  8-byte doubles, likewise.

import type { ByteReader } from '../byte-reader.js';
import { MAX_EXPONENT, pow10 } from '../decimal-exponent.js';

const MODE_DECIMAL = 0;
const MODE_FLOAT32 = 1;
const MODE_FLOAT64 = 2;

function unshuffleXor(data: Uint8Array, wordsPerValue: number, count: number): Uint32Array {
  const width = wordsPerValue * 4;
  const bytes = new Uint8Array(count * width);
  for (let i = 0; i < count; i++) for (let b = 0; b < width; b++) bytes[i * width + b] = data[b * count + i]!;
  const words = new Uint32Array(bytes.buffer);
  for (let at = wordsPerValue; at < words.length; at++) words[at] = (words[at]! ^ words[at - wordsPerValue]!) >>> 0;
  return words;
}

function readVarintDelta(r: ByteReader): number {
  const z = r.uvarintAny();
  if (typeof z === 'number') return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  return Number(z & 1n ? -((z + 1n) >> 1n) : z >> 1n);
}

export function readFloatsV1(r: ByteReader, count: number): number[] {
  if (count === 0) return [];
  const mode = r.byte();
  if (mode === MODE_DECIMAL) {
    const e = r.byte();
    if (e > MAX_EXPONENT) throw new Error(`decimal exponent ${e} out of range`);
    const p = pow10(e);
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
