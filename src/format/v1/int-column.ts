// Reader of chunk format version 1's integer column: zigzag varints of the difference to the previous
// integer of the series, exact beyond 2^53 through bigint.

import type { ByteReader } from '../byte-reader.js';
import { addInt, type IntValue } from '../point-value.js';
import { unzigzag } from '../zigzag.js';

export function readIntegersV1(r: ByteReader, count: number): IntValue[] {
  const out = new Array<IntValue>(count);
  let prev: IntValue = 0;
  for (let i = 0; i < count; i++) {
    prev = addInt(prev, unzigzag(r.uvarintAny()));
    out[i] = prev;
  }
  return out;
}
