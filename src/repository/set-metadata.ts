// The annotations and metadata of a backup set: each shard stored its own object (the annotations, UID
// and TS metadata of its metrics, and the same global annotations); the set's one manifest references
// one object holding all of them once. Its content depends only on the shards' objects, so shards that
// merge at the same moment store the same object.

import type { Manifest, MetadataRef } from '../format/manifest.js';
import type { MetadataContent } from '../format/metadata-object.js';
import { seriesKey } from '../format/series.js';
import { DEFAULT_ZSTD_LEVEL } from '../format/zstd-level.js';
import type { OpOptions } from '../storage/storage.js';
import { readMetadata } from './metadata-reader.js';
import { storeMetadata } from './metadata-store.js';
import type { Repository } from './repository.js';

function byKey<T>(items: Iterable<T>, key: (t: T) => string): T[] {
  const m = new Map<string, T>();
  for (const t of items) m.set(key(t), t);
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, t]) => t);
}

export async function mergeSetMetadata(repo: Repository, records: readonly Manifest[], opts?: OpOptions): Promise<MetadataRef | undefined> {
  const contents: MetadataContent[] = [];
  for (const r of [...records].sort((a, b) => a.set!.shard! - b.set!.shard!)) if (r.metadata) contents.push(await readMetadata(repo, r.metadata, opts?.signal));
  if (contents.length === 0) return undefined;
  const merged: MetadataContent = {
    annotations: byKey(
      contents.flatMap((c) => c.annotations),
      (a) => `${seriesKey(a.metric, a.tags)}\0${a.startTime}`,
    ),
    // OpenTSDB keys a global annotation by its start time.
    globalAnnotations: byKey(
      contents.flatMap((c) => c.globalAnnotations),
      (g) => String(g.startTime).padStart(20, '0'),
    ),
    uidMeta: byKey(
      contents.flatMap((c) => c.uidMeta),
      (u) => `${u.type}\0${u.name}`,
    ),
    tsMeta: byKey(
      contents.flatMap((c) => c.tsMeta),
      (t) => seriesKey(t.metric, t.tags),
    ),
  };
  return storeMetadata(repo, merged, DEFAULT_ZSTD_LEVEL, opts?.signal);
}
