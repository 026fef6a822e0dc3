// Encrypted repositories against the real OpenTSDB, on local disk and on S3Proxy.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { encryptedRepositoryScenario, type RepositoryLocation } from '../scenarios/encrypted-repository.js';

const s3 = inject('s3');

describe.runIf(!inject('e2eSkipped'))('encrypted repositories (real OpenTSDB)', () => {
  const dirs: string[] = [];
  const saved = { ...process.env };
  beforeAll(() => {
    if (!s3) return;
    process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
  });
  afterAll(async () => {
    process.env = saved;
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  encryptedRepositoryScenario('local disk, real OpenTSDB', async () => ({
    sourceUrl: inject('sourceUrl'),
    targetUrl: inject('targetUrl'),
    prefix: 'e2e.enc.local',
    now: Date.UTC(2026, 8, 1, 12),
    location: async (): Promise<RepositoryLocation> => {
      const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-e2e-enc-'));
      dirs.push(dir);
      return { repo: dir, args: [], storage: new LocalStorage(dir) };
    },
  }));

  let n = 0;
  describe.runIf(s3 !== null)('on S3Proxy', () => {
    encryptedRepositoryScenario('S3Proxy, real OpenTSDB', async () => ({
      sourceUrl: inject('sourceUrl'),
      targetUrl: inject('targetUrl'),
      prefix: 'e2e.enc.s3',
      now: Date.UTC(2026, 8, 2, 12),
      location: async (name): Promise<RepositoryLocation> => {
        const repo = `s3://${s3!.bucket}/enc-${name}-${Date.now()}-${n++}`;
        const options = { endpoint: s3!.endpoint, region: s3!.region, forcePathStyle: true };
        return { repo, args: ['--s3-endpoint', s3!.endpoint, '--s3-region', s3!.region, '--s3-force-path-style'], storage: openStorage(repo, { s3: options }) };
      },
    }));
  });
});
