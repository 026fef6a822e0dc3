// Timestamps as delta-of-delta zigzag varints. Second-aligned series (the common case) are stored in
// seconds, so regular intervals cost about one byte per point before zstd and almost nothing after.

import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';

const UNIT_MS = 0;
const UNIT_SECONDS = 1;

function zz(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

function unzz(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

export function writeTimestamps(w: ByteWriter, timestamps: readonly number[]): void {
  const seconds = timestamps.every((t) => t % 1000 === 0);
  w.byte(seconds ? UNIT_SECONDS : UNIT_MS);
  if (timestamps.length === 0) return;
  const unit = seconds ? 1000 : 1;
  let prev = timestamps[0]! / unit;
  w.uvarint(prev);
  let prevDelta = 0;
  for (let i = 1; i < timestamps.length; i++) {
    const t = timestamps[i]! / unit;
    const delta = t - prev;
    w.uvarint(zz(delta - prevDelta));
    prevDelta = delta;
    prev = t;
  }
}

export function readTimestamps(r: ByteReader, count: number): number[] {
  const mode = r.byte();
  if (mode !== UNIT_MS && mode !== UNIT_SECONDS) throw new Error(`unknown timestamp unit ${mode}`);
  const out = new Array<number>(count);
  if (count === 0) return out;
  const unit = mode === UNIT_SECONDS ? 1000 : 1;
  let prev = r.uvarint();
  out[0] = prev * unit;
  let prevDelta = 0;
  for (let i = 1; i < count; i++) {
    const delta = prevDelta + unzz(r.uvarint());
    prev += delta;
    out[i] = prev * unit;
    prevDelta = delta;
  }
  return out;
}
