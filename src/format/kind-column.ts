// Value kinds (integer or float) per point, run-length encoded: most series never change kind.

import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { KIND_FLOAT, KIND_INT, type ValueKind } from './point-value.js';

export function writeKinds(w: ByteWriter, kinds: readonly ValueKind[]): void {
  const runs: Array<[ValueKind, number]> = [];
  for (const k of kinds) {
    const last = runs[runs.length - 1];
    if (last && last[0] === k) last[1]++;
    else runs.push([k, 1]);
  }
  w.uvarint(runs.length);
  for (const [kind, length] of runs) {
    w.byte(kind);
    w.uvarint(length);
  }
}

export function readKinds(r: ByteReader, count: number): ValueKind[] {
  const runs = r.uvarint();
  const out: ValueKind[] = [];
  for (let i = 0; i < runs; i++) {
    const kind = r.byte();
    if (kind !== KIND_INT && kind !== KIND_FLOAT) throw new Error(`unknown value kind ${kind}`);
    const length = r.uvarint();
    if (out.length + length > count) throw new Error(`value kinds describe more than ${count} points`);
    for (let j = 0; j < length; j++) out.push(kind);
  }
  if (out.length !== count) throw new Error(`value kinds describe ${out.length} points, expected ${count}`);
  return out;
}
