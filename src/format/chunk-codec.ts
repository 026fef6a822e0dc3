// A chunk is one metric's series for one time window, laid out column by column and zstd-compressed.
// docs/FORMAT.md is the normative description of these bytes; keep the two in step. This writes chunk
// format version 2 and reads versions 1 and 2.

import { compress, decompress, loadZstd } from './zstd.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { ChunkFormatError, readChunkHeader, writeChunkHeader } from './chunk-header.js';
import { readFloatColumn, writeFloatColumn } from './float-column.js';
import { readIntegerColumn, writeIntegerColumn } from './int-column.js';
import { readKinds, writeKinds } from './kind-column.js';
import { KIND_INT } from './point-value.js';
import type { Series } from './series.js';
import { joinValues, splitValues } from './split-values.js';
import { readTimestampColumn, writeTimestampColumn } from './timestamp-column.js';
import { readBodyV1 } from './v1/chunk-body-v1.js';
import { DEFAULT_ZSTD_LEVEL } from './zstd-level.js';

export { CHUNK_MAGIC, ChunkFormatError } from './chunk-header.js';
export { DEFAULT_ZSTD_LEVEL } from './zstd-level.js';
export const CHUNK_VERSION = 2;

export interface ChunkData {
  metric: string;
  series: Series[];
}

/** The uncompressed columnar bytes of a chunk. */
export function serializeChunk(chunk: ChunkData): Uint8Array {
  const w = new ByteWriter();
  writeChunkHeader(w, CHUNK_VERSION, chunk.metric, chunk.series);
  writeTimestampColumn(
    w,
    chunk.series.map((s) => s.timestamps),
  );
  for (const s of chunk.series) writeKinds(w, s.kinds);
  const split = chunk.series.map(splitValues);
  writeIntegerColumn(
    w,
    split.map((v) => v.ints),
  );
  writeFloatColumn(
    w,
    split.map((v) => v.floats),
  );
  return w.result();
}

function readBodyV2(r: ByteReader, heads: ReadonlyArray<{ tags: Record<string, string>; points: number }>): Series[] {
  const timestamps = readTimestampColumn(
    r,
    heads.map((h) => h.points),
  );
  const kinds = heads.map((h) => readKinds(r, h.points));
  const intCounts = kinds.map((ks) => ks.filter((k) => k === KIND_INT).length);
  const ints = readIntegerColumn(r, intCounts);
  const floats = readFloatColumn(
    r,
    heads.map((h, i) => h.points - intCounts[i]!),
  );
  return heads.map((h, i) => ({ tags: h.tags, timestamps: timestamps[i]!, kinds: kinds[i]!, values: joinValues(kinds[i]!, ints[i]!, floats[i]!) }));
}

/** What the manifest recorded of a chunk, checked as soon as the header is read. */
export interface ChunkExpectation {
  points: number;
}

export function deserializeChunk(bytes: Uint8Array, expected?: ChunkExpectation): ChunkData {
  const r = new ByteReader(bytes);
  const header = readChunkHeader(r, (v) => v === 1 || v === CHUNK_VERSION, expected?.points);
  const series = header.version === 1 ? readBodyV1(r, header.heads) : readBodyV2(r, header.heads);
  if (r.remaining !== 0) throw new ChunkFormatError(`${r.remaining} unexpected bytes after the last column`);
  return { metric: header.metric, series };
}

export function encodeChunk(chunk: ChunkData, level = DEFAULT_ZSTD_LEVEL): Uint8Array {
  return compress(serializeChunk(chunk), { compressionLevel: level, checksumFlag: true });
}

export function decodeChunk(compressed: Uint8Array, expected?: ChunkExpectation): ChunkData {
  let raw: Uint8Array;
  loadZstd();
  try {
    raw = decompress(compressed);
  } catch (err) {
    throw new ChunkFormatError(`zstd: ${(err as Error).message}`);
  }
  try {
    return deserializeChunk(raw, expected);
  } catch (err) {
    if (err instanceof ChunkFormatError) throw err;
    throw new ChunkFormatError((err as Error).message);
  }
}
