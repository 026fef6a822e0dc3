// Non-negative integers as byte planes: one width for the whole column (the bytes of its largest value),
// then byte 0 of every value, byte 1 of every value, and so on. Small values leave whole planes of zeros
// and the low planes hold the randomness on their own, which zstd's entropy coder then packs tightly
// (varints interleave both and compress worse: docs/FORMAT.md 4.1).

import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import type { OffsetColumn } from './offset-column.js';
import { normalizeInt, type IntValue } from './point-value.js';

/** Wide enough for any offset the chunk format makes (64-bit deltas less a 64-bit minimum: < 2^66). */
export const MAX_PLANE_WIDTH = 16;
const TWO_32 = 2 ** 32;

function widthOfNumber(max: number): number {
  let width = 0;
  while (max >= 1) {
    width++;
    max = Math.floor(max / 256);
  }
  return width;
}

function widthOfBig(max: bigint): number {
  let width = 0;
  while (max > 0n) {
    width++;
    max >>= 8n;
  }
  return width;
}

export function writePlanes(w: ByteWriter, column: OffsetColumn): void {
  const { numbers, wide } = column.view();
  let maxNumber = 0;
  for (let i = 0; i < numbers.length; i++) if (numbers[i]! > maxNumber) maxNumber = numbers[i]!;
  let maxBig = 0n;
  if (wide) for (const v of wide.values()) if (v > maxBig) maxBig = v;
  const width = Math.max(widthOfNumber(maxNumber), widthOfBig(maxBig));
  if (width > MAX_PLANE_WIDTH) throw new RangeError(`value of ${width} bytes is too wide for a byte plane`);
  w.byte(width);
  const n = numbers.length;
  const out = w.reserve(width * n);
  for (let b = 0; b < Math.min(width, 4); b++) {
    const shift = 8 * b;
    const plane = b * n;
    for (let i = 0; i < n; i++) out[plane + i] = (numbers[i]! >>> shift) & 0xff; // >>> takes the value modulo 2^32
  }
  if (width > 4) {
    for (let i = 0; i < n; i++) {
      let hi = Math.floor(numbers[i]! / TWO_32);
      for (let b = 4; b < width; b++, hi = Math.floor(hi / 256)) out[b * n + i] = hi % 256;
    }
  }
  if (wide) {
    for (const [i, v] of wide) {
      let x = v;
      for (let b = 0; b < width; b++, x >>= 8n) out[b * n + i] = Number(x & 0xffn);
    }
  }
}

export function readPlanes(r: ByteReader, count: number): IntValue[] {
  const width = r.byte();
  if (width > MAX_PLANE_WIDTH) throw new Error(`byte plane width ${width} exceeds ${MAX_PLANE_WIDTH}`);
  const data = r.bytes(width * count);
  const out = new Array<IntValue>(count);
  const n = count;
  if (width <= 6) {
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let b = width - 1; b >= 0; b--) v = v * 256 + data[b * n + i]!;
      out[i] = v;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    let x = 0n;
    for (let b = width - 1; b >= 0; b--) x = (x << 8n) | BigInt(data[b * n + i]!);
    out[i] = normalizeInt(x);
  }
  return out;
}

/** Fixed-width little-endian words (IEEE 754 patterns), transposed so that byte b of every word is contiguous. */
export function writeTransposed(w: ByteWriter, words: Uint8Array, width: number): void {
  const n = words.length / width;
  const out = w.reserve(words.length);
  for (let i = 0; i < n; i++) for (let b = 0; b < width; b++) out[b * n + i] = words[i * width + b]!;
}

export function readTransposed(r: ByteReader, count: number, width: number): Uint8Array {
  const data = r.bytes(count * width);
  const words = new Uint8Array(count * width);
  for (let i = 0; i < count; i++) for (let b = 0; b < width; b++) words[i * width + b] = data[b * count + i]!;
  return words;
}
