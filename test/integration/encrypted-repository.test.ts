// Encrypted repositories against the fake TSD, on local disk and on s3rver.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe } from 'vitest';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { encryptedRepositoryScenario, type RepositoryLocation } from '../scenarios/encrypted-repository.js';
import { useS3AndFakeTsds } from '../support/s3-and-fake-tsds.js';

describe('encrypted repositories (fake TSD)', () => {
  const env = useS3AndFakeTsds();
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  const local = async (): Promise<RepositoryLocation> => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-enc-'));
    dirs.push(dir);
    return { repo: dir, args: [], storage: new LocalStorage(dir) };
  };
  let n = 0;
  const onS3 = async (name: string): Promise<RepositoryLocation> => {
    const { s3 } = env();
    const repo = `s3://${s3.bucket}/enc-${name}-${Date.now()}-${n++}`;
    const options = { endpoint: s3.endpoint, region: s3.region, forcePathStyle: true };
    return { repo, args: ['--s3-endpoint', s3.endpoint, '--s3-region', s3.region, '--s3-force-path-style'], storage: openStorage(repo, { s3: options }) };
  };

  encryptedRepositoryScenario('local disk, fake TSD', async () => ({
    sourceUrl: env().source.url,
    targetUrl: env().target.url,
    prefix: 'enclocal',
    now: Date.UTC(2026, 8, 1, 12),
    location: local,
  }));
  encryptedRepositoryScenario('s3rver, fake TSD', async () => ({
    sourceUrl: env().source.url,
    targetUrl: env().target.url,
    prefix: 'encs3',
    now: Date.UTC(2026, 8, 2, 12),
    location: onS3,
  }));
});
