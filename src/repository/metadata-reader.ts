// Reads a backup's annotations and metadata object: size and id first (as for a chunk), then decoding.
// An object that fails either is damage of that object, reported with its key.

import { decodeMetadata, MetadataFormatError, type MetadataObject } from '../format/metadata-object.js';
import type { MetadataRef } from '../format/manifest.js';
import { ChunkCorruptError } from './errors.js';
import type { Repository } from './repository.js';

export async function readMetadata(repo: Repository, ref: MetadataRef, signal?: AbortSignal): Promise<MetadataObject> {
  const bytes = await repo.getChunk(ref, { signal });
  try {
    const doc = decodeMetadata(bytes);
    const counts = {
      annotations: doc.annotations.length,
      globalAnnotations: doc.globalAnnotations.length,
      uidMeta: doc.uidMeta.length,
      tsMeta: doc.tsMeta.length,
    };
    const off = (Object.keys(counts) as Array<keyof typeof counts>).filter((k) => counts[k] !== ref[k]);
    if (off.length > 0)
      throw new MetadataFormatError(`it holds ${off.map((k) => `${counts[k]} ${k}`).join(', ')}, the manifest says ${off.map((k) => ref[k]).join(', ')}`);
    return doc;
  } catch (err) {
    if (err instanceof MetadataFormatError) throw new ChunkCorruptError(ref.key, repo.toString(), `metadata object: ${err.message}`, { cause: err });
    throw err;
  }
}
