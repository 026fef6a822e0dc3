// What every chunk format version begins with: magic, version, the metric and each series' tags and
// point count (docs/FORMAT.md 4.2). The columns that follow depend on the version.

import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { setOwn, type Series } from './series.js';

export const CHUNK_MAGIC = 'TSBC';
/**
 * No chunk tsdb-backup writes holds more points: a chunk is one query's answer, at most 1024 MiB
 * (--max-response-mb) of at least 15 bytes per point. Version 2 stores all-zero offsets in no bytes, so
 * nothing else bounds what a damaged or crafted header claims (docs/FORMAT.md 4.2).
 */
export const MAX_CHUNK_POINTS = 2 ** 27;

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

/**
 * The header; `supported` decides which versions this reader goes on to decode. `expectedPoints` (from the
 * manifest) is checked before any column is read, so a header that claims more allocates nothing.
 */
export function readChunkHeader(r: ByteReader, supported: (version: number) => boolean, expectedPoints?: number): ChunkHeader {
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
      setOwn(tags, k, r.string());
    }
    heads.push({ tags, points: r.uvarint() });
  }
  const total = heads.reduce((n, h) => n + h.points, 0);
  if (expectedPoints !== undefined && total !== expectedPoints) throw new ChunkFormatError(`it holds ${total} points, the manifest says ${expectedPoints}`);
  if (total > MAX_CHUNK_POINTS) throw new ChunkFormatError(`its header claims ${total} points, a chunk holds at most ${MAX_CHUNK_POINTS}`);
  return { version, metric, heads };
}
