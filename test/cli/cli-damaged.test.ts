// A damaged repository is exit 4, never "nothing there" (10): cron scripts act differently on them.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Repository } from '../../src/repository/repository.js';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { startFakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { idAt, manifest } from '../support/manifests.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { summaryOf } from '../support/json-output.js';

describe('damaged repositories', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-damaged-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a garbage config.json is exit 4 for list, verify and restore; no config.json at all stays 10', async () => {
    const repo = path.join(dir, 'garbage-config');
    await mkdir(repo);
    await writeFile(path.join(repo, 'config.json'), '{"format": "tsdb-backup-repo');
    for (const args of [['list'], ['verify'], ['restore', '--dry-run']]) {
      const r = await cli([...args, '--repo', repo]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(4);
      expect(r.stderr).toContain('config.json');
    }
    expect((await cli(['list', '--repo', path.join(dir, 'empty-dir')])).code).toBe(10);
  });

  it('a repository whose only manifest is unreadable is exit 4 for restore, not "no complete backup"', async () => {
    const repo = path.join(dir, 'bad-manifest');
    await Repository.init(new LocalStorage(repo), { now: new Date() });
    await mkdir(path.join(repo, 'backups', '20260101T000000Z-abcdef'), { recursive: true });
    await writeFile(path.join(repo, 'backups', '20260101T000000Z-abcdef', 'manifest.json'), 'not json');
    const r = await cli(['restore', '--dry-run', '--repo', repo, '--json']);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain('20260101T000000Z-abcdef');
    expect(r.json.at(-1)).toMatchObject({ type: 'error', exitCode: 4 });
  });

  it('a restore that stops at a damaged chunk says what it wrote before (text and --json), exit 4', async () => {
    const T0 = Date.UTC(2026, 4, 2);
    const source = await startFakeTsd({ autoCreateMetrics: true });
    const target = await startFakeTsd({ autoCreateMetrics: true });
    try {
      await putPoints(
        source.url,
        Array.from({ length: 30 }, (_, i) => ({ metric: `dmg.m${i % 6}`, tags: { host: 'a' }, timestamp: T0 + i * 1000, value: String(i) })),
      );
      const repo = path.join(dir, 'damaged-chunk');
      await initRepo(repo);
      const full = await cli(['full', '--source', source.url, '--repo', repo, '--start', String(T0), '--end', String(T0 + 60_000), '--json']);
      expect(full.code, full.stderr).toBe(0);
      const id = String(summaryOf(full).backupId);
      const manifest = JSON.parse(await readFile(path.join(repo, 'backups', id, 'manifest.json'), 'utf8')) as {
        chunks: Array<{ key: string; metric: string }>;
      };
      // the last chunk in the manifest's order, so that those before it are written first
      const victim = manifest.chunks.at(-1)!.key;
      await writeFile(path.join(repo, ...victim.split('/')), 'garbage');
      const r = await cli(['restore', '--repo', repo, '--target', target.url, '--concurrency', '1', '--json']);
      expect(r.code, r.stderr).toBe(4);
      // Every chunk is read (the conflict check) before the first point is written: nothing was written.
      expect(r.stderr).toMatch(/restore stopped after writing 0 points and 0 of 6 chunks: chunk .* is corrupt/);
      expect(r.json.at(-1)).toMatchObject({ type: 'error', exitCode: 4, code: 'CHUNK_CORRUPT', details: { written: { points: 0, chunks: 0, of: 6 } } });
      expect(target.stats.pointsWritten).toBe(0);
      // --skip-damaged writes the five intact chunks and names exactly what the damaged one held.
      const lostMetric = manifest.chunks.at(-1)!.metric;
      const skip = await cli(['restore', '--repo', repo, '--target', target.url, '--skip-damaged', '--json']);
      expect(skip.code, skip.stderr).toBe(4);
      const summary = skip.json.find((j) => j.type === 'summary') as { written: number; lost: Array<Record<string, unknown>> };
      expect(summary.written).toBe(25);
      expect(summary.lost).toEqual([expect.objectContaining({ metric: lostMetric, chunk: victim, backupId: id, series: 1, points: 5, code: 'CHUNK_CORRUPT' })]);
      expect(skip.json.at(-1)).toMatchObject({ type: 'error', exitCode: 4, details: { lost: summary.lost } });
      const text = await cli(['restore', '--repo', repo, '--target', target.url, '--skip-damaged']);
      expect(text.code).toBe(4);
      expect(text.stderr).toContain(`lost: ${lostMetric} `);
      expect(text.stderr).toContain('restore --skip-damaged left out 1 damaged chunk(s): the target lacks 1 range(s) of 1 metric(s)');
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
  });

  it('a manifest whose chunk key is a path (../) is damage (exit 4), never read as a storage key', async () => {
    const repo = path.join(dir, 'path-key');
    await Repository.init(new LocalStorage(repo), { now: new Date() });
    const id = idAt('2026-01-02T03:04:05Z');
    const m = manifest({ id, finished: '2026-01-02T03:04:05Z' });
    m.chunks.push({ key: '../../etc/passwd', metric: 'm', start: 0, end: 1, series: 1, points: 1, bytes: 1, sha256: 'a'.repeat(64) });
    await mkdir(path.join(repo, 'backups', id), { recursive: true });
    await writeFile(path.join(repo, 'backups', id, 'manifest.json'), JSON.stringify(m));
    for (const args of [['verify'], ['restore', '--dry-run']]) {
      const r = await cli([...args, '--repo', repo]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(4);
      expect(r.stderr).not.toContain('internal error');
    }
  });
});
