// Verify reads a version-2 backup's annotations and metadata object like a chunk: a changed or missing
// object is a problem named by its key, and an intact one is counted.

import { describe, expect, it } from 'vitest';
import { storeMetadata } from '../../src/repository/metadata-store.js';
import { isSealed } from '../../src/crypto/sealed-object.js';
import type { Manifest } from '../../src/format/manifest.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { verify } from '../../src/verify/verify.js';
import { idAt, manifest } from '../support/manifests.js';

const ENCRYPTED = { password: 'correct horse battery', kdf: { N: 1024, r: 8, p: 1 } };

async function backupWithMetadata(encryption?: typeof ENCRYPTED): Promise<{ repo: Repository; key: string }> {
  const repo = await Repository.init(new MemoryStorage(), { now: new Date('2026-01-01T00:00:00Z'), encryption });
  const ref = await storeMetadata(
    repo,
    { annotations: [], globalAnnotations: [{ startTime: 1788220830, endTime: 0, description: 'outage', notes: '' }], uidMeta: [], tsMeta: [] },
    3,
  );
  const m: Manifest = { ...manifest({ id: idAt('2026-01-02T00:00:00Z'), finished: '2026-01-02T00:00:00Z' }), version: 2, metadata: ref! };
  await repo.writeManifest(m);
  return { repo, key: ref!.key };
}

describe('verify and the metadata object', () => {
  it('an intact object is read and counted', async () => {
    const { repo } = await backupWithMetadata();
    const r = await verify({ concurrency: 2 }, { repository: repo });
    expect(r.problems).toEqual([]);
    expect(r.objects).toBe(1);
  });

  it('in an encrypted repository the object is sealed, named by its HMAC, and a changed byte is tampering', async () => {
    const { repo, key } = await backupWithMetadata(ENCRYPTED);
    const stored = await repo.storage.get(key);
    expect(isSealed(stored)).toBe(true);
    expect(Buffer.from(stored).includes(Buffer.from('outage'))).toBe(false);
    expect((await verify({ concurrency: 2 }, { repository: repo })).objects).toBe(1);
    stored[40]! ^= 1;
    await repo.storage.put(key, stored);
    const r = await verify({ concurrency: 2 }, { repository: repo });
    expect(r.problems).toEqual([expect.objectContaining({ where: key, tampered: true })]);
  });

  it('a changed object and a missing one are problems named by the key', async () => {
    const { repo, key } = await backupWithMetadata();
    const bytes = await repo.storage.get(key);
    bytes[bytes.length - 1]! ^= 1;
    await repo.storage.put(key, bytes);
    const changed = await verify({ concurrency: 2 }, { repository: repo });
    expect(changed.problems).toEqual([expect.objectContaining({ where: key, problem: expect.stringMatching(/SHA-256/) })]);
    await repo.storage.delete(key);
    const missing = await verify({ concurrency: 2 }, { repository: repo });
    expect(missing.problems).toEqual([expect.objectContaining({ where: key, problem: expect.stringMatching(/missing/) })]);
  });
});
