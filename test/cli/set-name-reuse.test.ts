// A set is one run of one cluster's shards, not just a name. A set name used again (a cron script's fixed
// --set, or two clusters' Jobs of one name backing up into one repository) once made every shard "find
// the set complete" and exit 0 without backing anything up; now it is refused with exit 2.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { linesOf } from '../support/json-output.js';

const T0 = Date.UTC(2026, 5, 1);
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (t: number) => ({ now: () => new Date(t) });

describe('set names', () => {
  let a: FakeTsd;
  let b: FakeTsd;
  let dir: string;
  beforeAll(async () => {
    a = await startFakeTsd({ autoCreateMetrics: true });
    b = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(a.url, [{ metric: 'a.m', tags: { h: '1' }, timestamp: T0, value: '1' }]);
    await putPoints(b.url, [{ metric: 'b.m', tags: { h: '1' }, timestamp: T0 + MIN, value: '2' }]);
    dir = await mkdtemp(path.join(tmpdir(), 'review-sets-'));
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("cluster B's shards named like cluster A's complete set are refused (exit 2), never taken for done", async () => {
    const repo = path.join(dir, 'r');
    await initRepo(repo);
    const first = await cli(
      ['full', '--source', a.url, '--name', 'prod-a', '--repo', repo, '--start', String(T0), '--shard', '0/1', '--set', 'backup-2906', '--json'],
      at(T0 + 2 * HOUR),
    );
    expect(first.code, first.stderr).toBe(0);
    const second = await cli(
      ['full', '--source', b.url, '--name', 'prod-b', '--repo', repo, '--start', String(T0), '--shard', '0/1', '--set', 'backup-2906', '--json'],
      at(T0 + 3 * HOUR),
    );
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/backup set 'backup-2906' holds backups of prod-a .*, not of prod-b .*: give this cluster's shards a set name of their own/);
    const listed = await cli(['list', '--repo', repo, '--json']);
    expect(linesOf(listed, 'backup').map((x) => x.source)).toEqual(['prod-a']);
  });
});
