// What every chunk format version begins with: magic, version, the metric and each series' tags and
// point count (docs/FORMAT.md 4.2). The columns that follow depend on the version.

import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import type { Series } from './series.js';

export const CHUNK_MAGIC = 'TSBC';

export class ChunkFormatError extends Error {}

export interface SeriesHead {
  tags: Record<string, string>;
  points: number;
}

export interface ChunkHeader {
  version: number;
  metric: string;
  heads: SeriesHead[];
}

export function writeChunkHeader(w: ByteWriter, version: number, metric: string, series: readonly Series[]): void {
  for (const c of CHUNK_MAGIC) w.byte(c.charCodeAt(0));
  w.byte(version);
  w.string(metric);
  w.uvarint(series.length);
  for (const s of series) {
    if (s.timestamps.length !== s.kinds.length || s.kinds.length !== s.values.length) {
      throw new ChunkFormatError(`series of ${metric} has ragged columns`);
    }
    const keys = Object.keys(s.tags).sort();
    w.uvarint(keys.length);
    for (const k of keys) {
      w.string(k);
      w.string(s.tags[k]!);
    }
    w.uvarint(s.timestamps.length);
  }
}

/** The header; `supported` decides which versions this reader goes on to decode. */
export function readChunkHeader(r: ByteReader, supported: (version: number) => boolean): ChunkHeader {
  const magic = String.fromCharCode(...r.bytes(4));
  if (magic !== CHUNK_MAGIC) throw new ChunkFormatError(`not a chunk (magic '${magic}')`);
  const version = r.byte();
  if (!supported(version)) throw new ChunkFormatError(`unsupported chunk version ${version} (this tsdb-backup reads versions 1 to 2; a newer one wrote it)`);
  const metric = r.string();
  const count = r.uvarint();
  const heads: SeriesHead[] = [];
  for (let i = 0; i < count; i++) {
    const tagCount = r.uvarint();
    const tags: Record<string, string> = {};
    for (let t = 0; t < tagCount; t++) {
      const k = r.string();
      tags[k] = r.string();
    }
    heads.push({ tags, points: r.uvarint() });
  }
  return { version, metric, heads };
}
