// A read-only repository (a read-only snapshot or mount, read-only credentials: the normal case in a
// disaster) can be verified and restored with --no-lock; without it the run says why it cannot lock.

import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';

const T0 = Date.UTC(2026, 5, 1);

/** A read-only view of `dir`: a read-only bind mount as root (permissions do not stop root), else mode 0555. */
async function readOnlyView(dir: string, at: string): Promise<() => Promise<void>> {
  if (process.getuid?.() === 0) {
    await mkdir(at);
    execFileSync('mount', ['--bind', '-o', 'ro', dir, at]);
    return async () => void execFileSync('umount', [at]);
  }
  execFileSync('chmod', ['-R', 'a-w', dir]);
  return async () => void execFileSync('chmod', ['-R', 'u+w', dir]);
}

describe('a read-only repository', () => {
  let source: FakeTsd;
  let target: FakeTsd;
  let dir: string;
  let repo: string;
  let undo: () => Promise<void>;
  beforeAll(async () => {
    [source, target] = await Promise.all([startFakeTsd({ autoCreateMetrics: true }), startFakeTsd()]);
    await putPoints(
      source.url,
      Array.from({ length: 20 }, (_, i) => ({ metric: 'ro.metric', tags: { host: 'a' }, timestamp: T0 + i * 1000, value: `${i}.5` })),
    );
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-ro-'));
    const writable = path.join(dir, 'repo');
    await initRepo(writable);
    const b = await cli(['full', '--source', source.url, '--repo', writable, '--start', String(T0), '--end', String(T0 + 60_000), '--quiet']);
    expect(b.code, b.stderr).toBe(0);
    repo = process.getuid?.() === 0 ? path.join(dir, 'ro') : writable;
    undo = await readOnlyView(writable, repo);
  });
  afterAll(async () => {
    await undo?.();
    await Promise.all([source.close(), target.close()]);
    await chmod(dir, 0o755).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('verify and restore without --no-lock say it cannot be locked, and how to go on', async () => {
    const v = await cli(['verify', '--repo', repo]);
    expect(v.code).toBe(EXIT.FAILURE);
    expect(v.stderr).toMatch(/cannot take a shared lock[\s\S]*(read-only file system|permission denied)/i);
    expect(v.stderr).toContain('--no-lock');
  });

  it('verify --no-lock and restore --no-lock work', async () => {
    expect((await cli(['verify', '--repo', repo, '--no-lock'])).code).toBe(0);
    const dry = await cli(['restore', '--repo', repo, '--dry-run', '--no-lock', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json.find((j) => j.type === 'summary')).toMatchObject({ points: 20 });
    const r = await cli(['restore', '--repo', repo, '--target', target.url, '--no-lock', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.find((j) => j.type === 'summary')).toMatchObject({ written: 20, failed: 0 });
  });
});
