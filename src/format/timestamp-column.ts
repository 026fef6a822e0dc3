// Chunk format version 2's timestamp column (docs/FORMAT.md 4.3): per series a unit (whole seconds when
// every timestamp is one) and a delta frame; then the offsets of every series as byte planes. A regular
// series costs almost nothing: its offsets are all zero.

import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { OffsetColumn } from './offset-column.js';
import { readPlanes, writePlanes } from './byte-planes.js';
import { readDeltaFrameHead, unframe, writeDeltaFrame } from './delta-frame.js';
import type { IntValue } from './point-value.js';
import { unitMs, unitOf } from './timestamp-unit.js';

export function writeTimestampColumn(w: ByteWriter, columns: ReadonlyArray<readonly number[]>): void {
  const offsets = new OffsetColumn();
  for (const timestamps of columns) {
    if (timestamps.length === 0) continue;
    const unit = unitOf(timestamps);
    w.byte(unit);
    const scale = unitMs(unit);
    const inUnit = scale === 1 ? timestamps : timestamps.map((t) => t / scale);
    writeDeltaFrame(w, inUnit, offsets);
  }
  writePlanes(w, offsets);
}

export function readTimestampColumn(r: ByteReader, counts: readonly number[]): number[][] {
  const heads = counts.map((count) => {
    if (count === 0) return { scale: 1, head: readDeltaFrameHead(r, 0) };
    const scale = unitMs(r.byte());
    return { scale, head: readDeltaFrameHead(r, count) };
  });
  const offsets = readPlanes(
    r,
    counts.reduce((a, c) => a + Math.max(0, c - 1), 0),
  );
  let from = 0;
  return heads.map(({ scale, head }) => {
    const values = unframe(head, offsets, from);
    from += Math.max(0, head.count - 1);
    const out = new Array<number>(values.length);
    for (let i = 0; i < values.length; i++) {
      const t = values[i]!;
      if (typeof t !== 'number' || !Number.isSafeInteger(t * scale)) throw new Error(`timestamp ${t} out of range`);
      out[i] = t * scale;
    }
    return out;
  });
}
