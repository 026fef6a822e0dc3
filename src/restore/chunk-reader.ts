// Reads one chunk for restore: checksum first (Repository.getChunk), then decoding, then a check that
// its content is what the manifest recorded. A chunk that fails any of these is never written.

import { ChunkFormatError, decodeChunk, type ChunkData } from '../format/chunk-codec.js';
import type { ChunkEntry } from '../format/manifest.js';
import { ChunkCorruptError } from '../repository/errors.js';
import type { Repository } from '../repository/repository.js';

export async function readVerifiedChunk(repo: Repository, entry: ChunkEntry, signal?: AbortSignal): Promise<ChunkData> {
  const bytes = await repo.getChunk(entry, { signal });
  try {
    const chunk = decodeChunk(bytes, { points: entry.points });
    const points = chunk.series.reduce((n, s) => n + s.timestamps.length, 0);
    if (chunk.metric !== entry.metric || points !== entry.points || chunk.series.length !== entry.series) {
      throw new ChunkFormatError(
        `it holds ${chunk.metric}/${chunk.series.length} series/${points} points, the manifest says ${entry.metric}/${entry.series}/${entry.points}`,
      );
    }
    return chunk;
  } catch (err) {
    if (err instanceof ChunkFormatError) throw new ChunkCorruptError(entry.key, repo.toString(), err.message, { cause: err });
    throw err;
  }
}
