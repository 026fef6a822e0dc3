// Golden manifests: a version-1 manifest written by hand from docs/FORMAT.md must still be read by
// this version, which writes version 2.

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MANIFEST_VERSION, referencedKeys } from '../../src/format/manifest.js';
import { manifestKey, Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';

const V1 = new URL('../../fixtures/manifests/v1.json', import.meta.url);
const V1_ID = '20260301T120000Z-0a1b2c';

describe('golden manifests', () => {
  it('a version-1 manifest is read with every field, its omitted annotations and its chunks as its only objects', async () => {
    const repo = await Repository.init(new MemoryStorage(), { now: new Date('2026-03-01T00:00:00Z') });
    await repo.storage.put(manifestKey(V1_ID), await readFile(V1));
    const m = await repo.readManifest(V1_ID);
    expect(MANIFEST_VERSION).toBe(2);
    expect(m.version).toBe(1);
    expect(m.source).toEqual({ url: 'http://tsd.example:4242', version: '2.4.1', name: 'prod-eu' });
    expect(m.selection).toEqual({ metrics: ['sys.*'], exclude: ['sys.debug.*'] });
    expect(m.totals).toEqual({ metrics: 1, series: 2, points: 700, chunks: 2, bytes: 3100 });
    expect(m.chunks[1]!.filters).toEqual([{ type: 'literal_or', tagk: 'host', filter: 'web01|web02', groupBy: true }]);
    expect(m.annotationsOmitted).toEqual({ total: 3, metrics: { 'sys.cpu.user': 3 } });
    expect(m.metadata).toBeUndefined();
    expect(referencedKeys(m)).toEqual(m.chunks.map((c) => c.key));
  });

  it('a manifest of an unknown version is refused, naming the field', async () => {
    const repo = await Repository.init(new MemoryStorage(), { now: new Date('2026-03-01T00:00:00Z') });
    const doc = JSON.parse(await readFile(V1, 'utf8')) as Record<string, unknown>;
    await repo.storage.put(manifestKey(V1_ID), Buffer.from(JSON.stringify({ ...doc, version: 3 })));
    await expect(repo.readManifest(V1_ID)).rejects.toThrow(/field 'version'/);
  });
});
