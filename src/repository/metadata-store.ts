// Stores a backup's annotations and metadata as one content-addressed object (sealed when the repository
// is encrypted, like a chunk) and returns the manifest's reference to it; nothing is stored when empty.

import { encodeMetadata, isEmptyMetadata, type MetadataContent } from '../format/metadata-object.js';
import type { MetadataRef } from '../format/manifest.js';
import type { Repository } from './repository.js';

export async function storeMetadata(repo: Repository, content: MetadataContent, zstdLevel: number, signal?: AbortSignal): Promise<MetadataRef | undefined> {
  if (isEmptyMetadata(content)) return undefined;
  const stored = await repo.putChunk(encodeMetadata(content, zstdLevel), { signal });
  return {
    key: stored.key,
    bytes: stored.bytes,
    sha256: stored.sha256,
    annotations: content.annotations.length,
    globalAnnotations: content.globalAnnotations.length,
    uidMeta: content.uidMeta.length,
    tsMeta: content.tsMeta.length,
  };
}
