// Chunk format version 2's integer column (docs/FORMAT.md 4.5): per series that has integer points a
// delta frame of them, then the offsets of every series as byte planes. Exact for every 64-bit value.

import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { OffsetColumn } from './offset-column.js';
import { readPlanes, writePlanes } from './byte-planes.js';
import { readDeltaFrameHead, unframe, writeDeltaFrame } from './delta-frame.js';
import type { IntValue } from './point-value.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function writeIntegerColumn(w: ByteWriter, columns: ReadonlyArray<readonly IntValue[]>): void {
  const offsets = new OffsetColumn();
  for (const values of columns) writeDeltaFrame(w, values, offsets);
  writePlanes(w, offsets);
}

export function readIntegerColumn(r: ByteReader, counts: readonly number[]): IntValue[][] {
  const heads = counts.map((count) => readDeltaFrameHead(r, count));
  const offsets = readPlanes(
    r,
    counts.reduce((a, c) => a + Math.max(0, c - 1), 0),
  );
  let from = 0;
  return heads.map((head) => {
    const values = unframe(head, offsets, from);
    from += Math.max(0, head.count - 1);
    for (const v of values) if (typeof v === 'bigint' && (v < INT64_MIN || v > INT64_MAX)) throw new Error(`integer ${v} is outside the 64-bit range`);
    return values;
  });
}
