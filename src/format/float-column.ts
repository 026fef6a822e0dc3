// Chunk format version 2's float column (docs/FORMAT.md 4.6). Each series that has float points takes
// whichever of three exact encodings suits it:
//  DECIMAL  v = m / 10^e for one exponent e per series (gauges with a few decimals): a delta frame of m;
//  FLOAT32  values that are widened 4-byte floats: their 4-byte patterns;
//  FLOAT64  anything else, including NaN and -0.0: their 8-byte patterns.
// After the per-series heads come the decimal offsets of every DECIMAL series as byte planes, then the
// FLOAT32 patterns and the FLOAT64 patterns of all such series, each byte-transposed.
// The encoder proves exactness (decoding gives the same bits) before choosing DECIMAL.

import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { OffsetColumn } from './offset-column.js';
import { readPlanes, readTransposed, writePlanes, writeTransposed } from './byte-planes.js';
import { allFloat32, decimalExponent, MAX_EXPONENT, pow10 } from './decimal-exponent.js';
import { readDeltaFrameHead, unframe, writeDeltaFrame, type DeltaFrameHead } from './delta-frame.js';
import type { IntValue } from './point-value.js';

const MODE_DECIMAL = 0;
const MODE_FLOAT32 = 1;
const MODE_FLOAT64 = 2;
const CHEAP_EXPONENT = 6;

function modeOf(values: readonly number[]): { mode: number; exponent: number } {
  const e = decimalExponent(values);
  if (e >= 0 && e <= CHEAP_EXPONENT) return { mode: MODE_DECIMAL, exponent: e };
  if (allFloat32(values)) return { mode: MODE_FLOAT32, exponent: 0 };
  if (e >= 0) return { mode: MODE_DECIMAL, exponent: e };
  return { mode: MODE_FLOAT64, exponent: 0 };
}

export function writeFloatColumn(w: ByteWriter, columns: ReadonlyArray<readonly number[]>): void {
  const decimalOffsets = new OffsetColumn();
  const float32: number[] = [];
  const float64: number[] = [];
  for (const values of columns) {
    if (values.length === 0) continue;
    const { mode, exponent } = modeOf(values);
    w.byte(mode);
    if (mode === MODE_DECIMAL) {
      w.byte(exponent);
      const p = pow10(exponent);
      writeDeltaFrame(
        w,
        values.map((v) => Math.round(v * p)),
        decimalOffsets,
      );
    } else {
      const into = mode === MODE_FLOAT32 ? float32 : float64;
      for (const v of values) into.push(v);
    }
  }
  writePlanes(w, decimalOffsets);
  writeTransposed(w, new Uint8Array(Float32Array.from(float32).buffer), 4);
  writeTransposed(w, new Uint8Array(Float64Array.from(float64).buffer), 8);
}

type FloatHead = { mode: typeof MODE_DECIMAL; exponent: number; frame: DeltaFrameHead } | { mode: typeof MODE_FLOAT32 | typeof MODE_FLOAT64; count: number };

function readHead(r: ByteReader, count: number): FloatHead | undefined {
  if (count === 0) return undefined;
  const mode = r.byte();
  if (mode === MODE_DECIMAL) {
    const exponent = r.byte();
    if (exponent > MAX_EXPONENT) throw new Error(`decimal exponent ${exponent} out of range`);
    return { mode, exponent, frame: readDeltaFrameHead(r, count) };
  }
  if (mode === MODE_FLOAT32 || mode === MODE_FLOAT64) return { mode, count };
  throw new Error(`unknown float encoding ${mode}`);
}

export function readFloatColumn(r: ByteReader, counts: readonly number[]): number[][] {
  const heads = counts.map((count) => readHead(r, count));
  let decimalCount = 0;
  let float32Count = 0;
  let float64Count = 0;
  for (const h of heads) {
    if (h?.mode === MODE_DECIMAL) decimalCount += Math.max(0, h.frame.count - 1);
    else if (h?.mode === MODE_FLOAT32) float32Count += h.count;
    else if (h?.mode === MODE_FLOAT64) float64Count += h.count;
  }
  const offsets = readPlanes(r, decimalCount);
  const float32 = new Float32Array(readTransposed(r, float32Count, 4).buffer);
  const float64 = new Float64Array(readTransposed(r, float64Count, 8).buffer);
  let decimalAt = 0;
  let float32At = 0;
  let float64At = 0;
  return heads.map((h) => {
    if (!h) return [];
    if (h.mode !== MODE_DECIMAL) {
      if (h.mode === MODE_FLOAT32) return Array.from(float32.subarray(float32At, (float32At += h.count)));
      return Array.from(float64.subarray(float64At, (float64At += h.count)));
    }
    const mantissas = unframe(h.frame, offsets, decimalAt);
    decimalAt += Math.max(0, h.frame.count - 1);
    const p = pow10(h.exponent);
    return mantissas.map((m, i) => {
      if (typeof m !== 'number') throw new Error(`decimal mantissa out of range at value ${i}`);
      return m / p;
    });
  });
}
