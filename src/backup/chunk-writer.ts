// Turns a fetched piece into a stored chunk and the manifest entry that records it.

import { encodeChunk } from '../format/chunk-codec.js';
import type { ChunkEntry } from '../format/manifest.js';
import { seriesKey, sortTags } from '../format/series.js';
import type { Repository } from '../repository/repository.js';
import type { FetchedPiece } from '../fetch/query-unit.js';

// A written chunk is kept until the manifest is written, so it holds only its manifest entry: a metric
// of 3,000 series over a week at 10 s makes ~1,200 chunks, and their lists of series names alone came
// to ~450 MB. The series seen are counted by the caller instead (`onSeries`), in a set per metric.
export interface WrittenChunk {
  entry: ChunkEntry;
  reused: boolean;
  /** Stored by an interrupted run of the same backup, which this one resumed. */
  resumed?: boolean;
}

export async function writeChunk(
  repo: Repository,
  piece: FetchedPiece,
  zstdLevel: number,
  signal?: AbortSignal,
  onSeries?: (key: string) => void,
): Promise<WrittenChunk | undefined> {
  const nonEmpty = piece.series.filter((s) => s.timestamps.length > 0);
  if (nonEmpty.length === 0) return undefined;
  const keyed = nonEmpty.map((s) => ({ key: seriesKey(piece.unit.metric, s.tags), s }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const series = keyed.map(({ s }) => ({ tags: sortTags(s.tags), timestamps: s.timestamps, kinds: s.kinds, values: s.values }));
  let first = Infinity;
  let last = -Infinity;
  let points = 0;
  for (const s of series) {
    points += s.timestamps.length;
    for (const t of s.timestamps) {
      if (t < first) first = t;
      if (t > last) last = t;
    }
  }
  const bytes = encodeChunk({ metric: piece.unit.metric, series }, zstdLevel);
  // Staged: durable before the journal entry or manifest naming it is written (Repository.putDocument).
  const stored = await repo.putChunk(bytes, { signal, staged: true });
  const entry: ChunkEntry = {
    key: stored.key,
    metric: piece.unit.metric,
    start: piece.unit.start,
    end: piece.unit.end,
    ...(piece.unit.filters.length > 0 ? { filters: piece.unit.filters } : {}),
    series: series.length,
    points,
    firstTimestamp: first,
    lastTimestamp: last,
    bytes: stored.bytes,
    sha256: stored.sha256,
  };
  if (onSeries) for (const k of keyed) onSeries(k.key);
  return { entry, reused: stored.reused };
}
