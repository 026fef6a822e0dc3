// The TSD gzips its answers only when asked, and compressing them costs it most of its CPU in a backup
// (issue 12): tsdb-backup asks for uncompressed answers, unless --compressed-responses (a slow link).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { seedTsd } from '../support/seed.js';

describe('the encoding of the TSD answers', () => {
  let tsd: FakeTsd;
  let dir: string;
  beforeAll(async () => {
    tsd = await startFakeTsd();
    await seedTsd(tsd.url);
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-encoding-'));
  });
  afterAll(async () => {
    await tsd?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const acceptEncodings = async (args: string[]): Promise<Set<string | undefined>> => {
    const repo = path.join(dir, `r${Math.random()}`);
    await initRepo(repo);
    const before = tsd.stats.requests.length;
    const r = await cli(['full', '--source', tsd.url, '--repo', repo, '--quiet', ...args]);
    expect(r.code, r.stderr).toBe(0);
    const seen = tsd.stats.requests.slice(before);
    expect(seen.some((q) => q.path.startsWith('/api/query'))).toBe(true);
    return new Set(seen.map((q) => q.acceptEncoding));
  };

  it('a backup asks for uncompressed answers', async () => {
    expect([...(await acceptEncodings([]))]).toEqual(['identity']);
  });

  it('--compressed-responses asks for gzip (the same backup, for a slow link)', async () => {
    const seen = [...(await acceptEncodings(['--compressed-responses']))];
    expect(seen.length).toBe(1);
    expect(seen[0]).toMatch(/gzip/);
  });
});
