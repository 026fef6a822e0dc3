// Prune keeps every object a kept manifest references, whatever its type: a backup's annotations and
// metadata object must survive as long as its manifest does.

import { describe, expect, it } from 'vitest';
import { referencedKeys, type Manifest } from '../../src/format/manifest.js';
import { prune } from '../../src/prune/prune.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { idAt, manifest } from '../support/manifests.js';

async function repoWithBackup(): Promise<{ repo: Repository; m: Manifest; metaKey: string; garbageKey: string }> {
  const repo = await Repository.init(new MemoryStorage(), { now: new Date('2026-01-01T00:00:00Z') });
  const meta = await repo.putChunk(Buffer.from('annotations and metadata'));
  const garbage = await repo.putChunk(Buffer.from('left by an interrupted backup'));
  const m: Manifest = {
    ...manifest({ id: idAt('2026-01-02T00:00:00Z'), finished: '2026-01-02T00:00:00Z' }),
    version: 2,
    metadata: { key: meta.key, bytes: meta.bytes, sha256: meta.sha256, annotations: 1, globalAnnotations: 0, uidMeta: 0, tsMeta: 0 },
  };
  await repo.writeManifest(m);
  return { repo, m, metaKey: meta.key, garbageKey: garbage.key };
}

describe('prune and the objects a manifest references', () => {
  it('referencedKeys lists the chunks and the metadata object', async () => {
    const { m, metaKey } = await repoWithBackup();
    expect(referencedKeys(m)).toEqual([metaKey]);
    expect(referencedKeys({ ...m, metadata: undefined })).toEqual([]);
  });

  it('prune keeps the metadata object of a kept backup and deletes only unreferenced objects', async () => {
    const { repo, metaKey, garbageKey } = await repoWithBackup();
    const r = await prune({ rules: { last: 1 }, dryRun: false }, { repository: repo });
    expect(r.removedBackups).toEqual([]);
    expect(r.unreferencedChunks).toBe(1);
    expect(await repo.storage.stat(metaKey)).toBeTruthy();
    expect(await repo.storage.stat(garbageKey)).toBeUndefined();
  });
});
