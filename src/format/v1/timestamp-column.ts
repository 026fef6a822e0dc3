// Reader of chunk format version 1's timestamp column: a unit byte, then delta-of-delta zigzag varints.

import type { ByteReader } from '../byte-reader.js';
import { UNIT_MS, UNIT_SECONDS } from '../timestamp-unit.js';

function unzz(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

export function readTimestampsV1(r: ByteReader, count: number): number[] {
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
