// The golden encrypted repositories in fixtures/encrypted-repositories/: what they hold, and how they
// were made (`node --import tsx test/support/golden-encrypted.ts` writes them anew; commit the result
// only when the format changes on purpose).

import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CipherName } from '../../src/crypto/aead.js';
import { encodeChunk, type ChunkData } from '../../src/format/chunk-codec.js';
import type { Manifest } from '../../src/format/manifest.js';
import { KIND_FLOAT, KIND_INT } from '../../src/format/point-value.js';
import { Repository } from '../../src/repository/repository.js';
import { LocalStorage } from '../../src/storage/local-storage.js';

export const GOLDEN_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/encrypted-repositories');
export const GOLDEN_PASSWORD = 'golden password: ünïcode';
export const GOLDEN_BACKUP_ID = '20260101T000000Z-00aa11';
export const GOLDEN_CIPHERS: CipherName[] = ['aes-256-gcm', 'chacha20-poly1305'];

export const GOLDEN_CHUNK: ChunkData = {
  metric: 'golden.metric',
  series: [
    {
      tags: { host: 'golden-host' },
      timestamps: [1767225600000, 1767225600001, 1767225660000],
      kinds: [KIND_INT, KIND_FLOAT, KIND_INT],
      values: [9223372036854775807n, 0.1, -42],
    },
  ],
};

function manifestOf(chunk: { key: string; sha256: string; bytes: number }): Manifest {
  return {
    format: 'tsdb-backup-manifest',
    version: 1,
    id: GOLDEN_BACKUP_ID,
    type: 'full',
    parent: null,
    tool: { name: 'tsdb-backup', version: 'golden' },
    source: { url: 'http://golden-tsd:4242', version: '2.4.1' },
    range: { start: 1767225600000, end: 1767229199999 },
    selection: { metrics: [] },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    totals: { metrics: 1, series: 1, points: 3, chunks: 1, bytes: chunk.bytes },
    metrics: [{ name: 'golden.metric', series: 1, points: 3, chunks: 1 }],
    chunks: [
      {
        key: chunk.key,
        metric: 'golden.metric',
        start: 1767225600000,
        end: 1767229199999,
        series: 1,
        points: 3,
        firstTimestamp: 1767225600000,
        lastTimestamp: 1767225660000,
        bytes: chunk.bytes,
        sha256: chunk.sha256,
      },
    ],
  };
}

async function make(cipher: CipherName): Promise<void> {
  const dir = path.join(GOLDEN_DIR, cipher);
  await rm(dir, { recursive: true, force: true });
  // A low scrypt cost keeps the test fast; the format records it per key file.
  const repo = await Repository.init(new LocalStorage(dir), {
    now: new Date('2026-01-01T00:00:00Z'),
    encryption: { password: GOLDEN_PASSWORD, cipher, kdf: { N: 1024, r: 8, p: 1 }, host: 'golden-host', user: 'golden' },
  });
  const stored = await repo.putChunk(encodeChunk(GOLDEN_CHUNK, 3));
  await repo.writeManifest(manifestOf(stored));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const c of GOLDEN_CIPHERS) await make(c);
  console.log(`wrote ${GOLDEN_CIPHERS.length} repositories under ${GOLDEN_DIR}`);
}
