// 64-bit integers as zigzag varints of the difference to the previous integer of the series.
// Counters grow slowly, so deltas are small; values beyond 2^53 take an exact bigint path.

import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { addInt, type IntValue } from './point-value.js';
import { subtractInt, unzigzag, zigzag } from './zigzag.js';

export function writeIntegers(w: ByteWriter, values: readonly IntValue[]): void {
  let prev: IntValue = 0;
  for (const v of values) {
    const z = zigzag(subtractInt(v, prev));
    if (typeof z === 'number') w.uvarint(z);
    else w.uvarintBig(z);
    prev = v;
  }
}

export function readIntegers(r: ByteReader, count: number): IntValue[] {
  const out = new Array<IntValue>(count);
  let prev: IntValue = 0;
  for (let i = 0; i < count; i++) {
    prev = addInt(prev, unzigzag(r.uvarintAny()));
    out[i] = prev;
  }
  return out;
}
