// A sequence of integers as its first value, the smallest difference between neighbours (the frame of
// reference) and, per later value, how far its difference exceeds that minimum: never negative, and for
// counters and regular timestamps small, often zero (chunk format version 2, docs/FORMAT.md 4.3).

import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import type { OffsetColumn } from './offset-column.js';
import { addInt, type IntValue } from './point-value.js';
import { subtractInt, unzigzag, zigzag } from './zigzag.js';

function writeSigned(w: ByteWriter, v: IntValue): void {
  const z = zigzag(v);
  if (typeof z === 'number') w.uvarint(z);
  else w.uvarintBig(z);
}

/** Below this magnitude differences of numbers (< 2^52) and their offsets (< 2^53) are exact in doubles. */
const FAST_MAGNITUDE = 2 ** 51;

/** The common case, every value a number of moderate size: plain arithmetic, no bigint checks. Returns false otherwise. */
function writeNumberFrame(w: ByteWriter, values: readonly IntValue[], offsets: OffsetColumn): boolean {
  const n = values.length;
  let min = Infinity;
  let prev = values[0]!;
  if (typeof prev !== 'number' || prev > FAST_MAGNITUDE || prev < -FAST_MAGNITUDE) return false;
  for (let i = 1; i < n; i++) {
    const v = values[i]!;
    if (typeof v !== 'number' || v > FAST_MAGNITUDE || v < -FAST_MAGNITUDE) return false;
    const d = v - prev;
    if (d < min) min = d;
    prev = v;
  }
  writeSigned(w, values[0]!);
  if (n === 1) return true;
  writeSigned(w, min);
  for (let i = 1; i < n; i++) offsets.push((values[i] as number) - (values[i - 1] as number) - min);
  return true;
}

/** Writes the head of `values` (first value, then the minimum difference if there are two or more) and appends their offsets. */
export function writeDeltaFrame(w: ByteWriter, values: readonly IntValue[], offsets: OffsetColumn): void {
  if (values.length === 0) return;
  if (writeNumberFrame(w, values, offsets)) return;
  writeSigned(w, values[0]!);
  if (values.length === 1) return;
  const deltas = new Array<IntValue>(values.length - 1);
  let min = subtractInt(values[1]!, values[0]!);
  for (let i = 1; i < values.length; i++) {
    const d = subtractInt(values[i]!, values[i - 1]!);
    deltas[i - 1] = d;
    if (d < min) min = d;
  }
  writeSigned(w, min);
  for (const d of deltas) offsets.pushAny(subtractInt(d, min));
}

export interface DeltaFrameHead {
  first: IntValue;
  min: IntValue;
  count: number;
}

export function readDeltaFrameHead(r: ByteReader, count: number): DeltaFrameHead {
  if (count === 0) return { first: 0, min: 0, count };
  const first = unzigzag(r.uvarintAny());
  const min = count > 1 ? unzigzag(r.uvarintAny()) : 0;
  return { first, min, count };
}

/** The values of one sequence, from its head and its offsets starting at `from`. */
export function unframe(head: DeltaFrameHead, offsets: readonly IntValue[], from: number): IntValue[] {
  const out = new Array<IntValue>(head.count);
  if (head.count === 0) return out;
  let v = head.first;
  out[0] = v;
  for (let i = 1; i < head.count; i++) {
    v = addInt(v, addInt(head.min, offsets[from + i - 1]!));
    out[i] = v;
  }
  return out;
}
