// A chunk is one metric's series for one time window, laid out column by column and zstd-compressed.
// docs/FORMAT.md is the normative description of these bytes; keep the two in step.

import { compress, decompress } from 'zstd-napi';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { readFloats, writeFloats } from './float-column.js';
import { readIntegers, writeIntegers } from './int-column.js';
import { readKinds, writeKinds } from './kind-column.js';
import { KIND_INT, type IntValue } from './point-value.js';
import type { Series } from './series.js';
import { readTimestamps, writeTimestamps } from './timestamp-column.js';

export const CHUNK_MAGIC = 'TSBC';
export const CHUNK_VERSION = 1;
export const DEFAULT_ZSTD_LEVEL = 15;

export interface ChunkData {
  metric: string;
  series: Series[];
}

export class ChunkFormatError extends Error {}

function splitValues(s: Series): { ints: IntValue[]; floats: number[] } {
  const ints: IntValue[] = [];
  const floats: number[] = [];
  for (let i = 0; i < s.values.length; i++) {
    if (s.kinds[i] === KIND_INT) ints.push(s.values[i]!);
    else floats.push(s.values[i] as number);
  }
  return { ints, floats };
}

/** The uncompressed columnar bytes of a chunk. */
export function serializeChunk(chunk: ChunkData): Uint8Array {
  const w = new ByteWriter();
  for (const c of CHUNK_MAGIC) w.byte(c.charCodeAt(0));
  w.byte(CHUNK_VERSION);
  w.string(chunk.metric);
  w.uvarint(chunk.series.length);
  for (const s of chunk.series) {
    if (s.timestamps.length !== s.kinds.length || s.kinds.length !== s.values.length) {
      throw new ChunkFormatError(`series of ${chunk.metric} has ragged columns`);
    }
    const keys = Object.keys(s.tags).sort();
    w.uvarint(keys.length);
    for (const k of keys) {
      w.string(k);
      w.string(s.tags[k]!);
    }
    w.uvarint(s.timestamps.length);
  }
  for (const s of chunk.series) writeTimestamps(w, s.timestamps);
  for (const s of chunk.series) writeKinds(w, s.kinds);
  const split = chunk.series.map(splitValues);
  for (const v of split) writeIntegers(w, v.ints);
  for (const v of split) writeFloats(w, v.floats);
  return w.result();
}

export function deserializeChunk(bytes: Uint8Array): ChunkData {
  const r = new ByteReader(bytes);
  const magic = String.fromCharCode(...r.bytes(4));
  if (magic !== CHUNK_MAGIC) throw new ChunkFormatError(`not a chunk (magic '${magic}')`);
  const version = r.byte();
  if (version !== CHUNK_VERSION) throw new ChunkFormatError(`unsupported chunk version ${version}`);
  const metric = r.string();
  const count = r.uvarint();
  const heads: Array<{ tags: Record<string, string>; points: number }> = [];
  for (let i = 0; i < count; i++) {
    const tagCount = r.uvarint();
    const tags: Record<string, string> = {};
    for (let t = 0; t < tagCount; t++) {
      const k = r.string();
      tags[k] = r.string();
    }
    heads.push({ tags, points: r.uvarint() });
  }
  const timestamps = heads.map((h) => readTimestamps(r, h.points));
  const kinds = heads.map((h) => readKinds(r, h.points));
  const intCounts = kinds.map((ks) => ks.filter((k) => k === KIND_INT).length);
  const ints = heads.map((_, i) => readIntegers(r, intCounts[i]!));
  const floats = heads.map((h, i) => readFloats(r, h.points - intCounts[i]!));
  if (r.remaining !== 0) throw new ChunkFormatError(`${r.remaining} unexpected bytes after the last column`);
  const series: Series[] = heads.map((h, i) => {
    const values: IntValue[] = new Array(h.points);
    let ii = 0;
    let fi = 0;
    const ks = kinds[i]!;
    for (let p = 0; p < h.points; p++) values[p] = ks[p] === KIND_INT ? ints[i]![ii++]! : floats[i]![fi++]!;
    return { tags: h.tags, timestamps: timestamps[i]!, kinds: ks, values };
  });
  return { metric, series };
}

export function encodeChunk(chunk: ChunkData, level = DEFAULT_ZSTD_LEVEL): Uint8Array {
  return compress(serializeChunk(chunk), { compressionLevel: level, checksumFlag: true });
}

export function decodeChunk(compressed: Uint8Array): ChunkData {
  let raw: Uint8Array;
  try {
    raw = decompress(compressed);
  } catch (err) {
    throw new ChunkFormatError(`zstd: ${(err as Error).message}`);
  }
  try {
    return deserializeChunk(raw);
  } catch (err) {
    if (err instanceof ChunkFormatError) throw err;
    throw new ChunkFormatError((err as Error).message);
  }
}
