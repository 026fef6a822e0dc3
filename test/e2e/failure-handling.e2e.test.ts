// Failure handling through the CLI against the real OpenTSDB: a flaky source is backed up completely,
// a metric the source cannot serve leaves no manifest and is named, a restore stopped by a damaged chunk
// says what it wrote, a backup killed with SIGKILL is resumed, and bad values exit 2 before anything is
// contacted.

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFlakyProxy, seededRandom } from '../support/flaky-proxy.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { summaryOf } from '../support/json-output.js';
import { spawnCli } from '../support/spawn-cli.js';
import { pointsOfBackup } from '../support/backup-points.js';
import { Repository } from '../../src/repository/repository.js';
import { LocalStorage } from '../../src/storage/local-storage.js';

const T0 = Date.UTC(2026, 2, 3);
const METRICS = ['e2e.fail.m0', 'e2e.fail.m1', 'e2e.fail.m2', 'e2e.fail.m3'];
const PER_METRIC = 600;
const range = ['--metric', 'e2e.fail.*', '--start', String(T0), '--end', String(T0 + PER_METRIC * 10_000 - 1)];

describe.runIf(!inject('e2eSkipped'))('failure handling (real OpenTSDB)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-e2e-fail-'));
    const points = METRICS.flatMap((metric) =>
      Array.from({ length: PER_METRIC }, (_, i) => ({ metric, tags: { host: `h${i % 3}` }, timestamp: T0 + i * 10_000, value: String(i) })),
    );
    await putPoints(inject('sourceUrl'), points, { maxBodyBytes: 500_000 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a source failing 18% of queries (resets, 424s, 500s), without retries, is backed up completely', async () => {
    const random = seededRandom(7);
    const faults = ['reset', { status: 424 }, { status: 500 }] as const;
    const proxy = await startFlakyProxy(inject('sourceUrl'), (req) =>
      req.path.startsWith('/api/query') && random() < 0.18 ? faults[Math.floor(random() * 3)] : undefined,
    );
    try {
      await initRepo(path.join(dir, 'flaky'));
      const r = await cli([
        'full',
        '--source',
        proxy.url,
        '--repo',
        path.join(dir, 'flaky'),
        ...range,
        '--retries',
        '1',
        '--target-points',
        '50',
        '--min-window',
        '1m',
        '--concurrency',
        '1',
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(proxy.stats.faults).toBeGreaterThan(0);
      expect(r.json.at(-1)).toMatchObject({ type: 'summary', points: METRICS.length * PER_METRIC, metrics: METRICS.length });
    } finally {
      await proxy.close();
    }
  });

  it('a metric the source cannot serve: the others are read, exit 1 names it, no manifest', async () => {
    const proxy = await startFlakyProxy(inject('sourceUrl'), (req) =>
      req.path.startsWith('/api/query') && req.body.includes('"e2e.fail.m2"') ? 'reset' : undefined,
    );
    const repo = path.join(dir, 'missing');
    try {
      await initRepo(repo);
      const r = await cli(['full', '--source', proxy.url, '--repo', repo, ...range, '--retries', '2', '--min-window', '30m', '--json']);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/backup incomplete, no manifest written: 1 of 4 metric\(s\)[\s\S]*e2e\.fail\.m2 \[2026-03-03T/);
      expect(r.json.at(-1)).toMatchObject({ code: 'BACKUP_INCOMPLETE', details: { missing: [{ metric: 'e2e.fail.m2' }] } });
      await expect(readdir(path.join(repo, 'backups'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await readdir(path.join(repo, 'data'), { recursive: true })).filter((f) => /[0-9a-f]{64}$/.test(f)).length).toBeGreaterThanOrEqual(3);
    } finally {
      await proxy.close();
    }
  });

  it('a backup killed with SIGKILL is resumed by the same command: only what was not stored is read again, and every point is there', async () => {
    // Many small windows, one metric at a time, so that the kill lands between stored windows.
    const args = (repo: string, source: string): string[] => [
      'full',
      '--source',
      source,
      '--repo',
      repo,
      ...range,
      '--target-points',
      '100',
      '--min-window',
      '1m',
      '--concurrency',
      '1',
      '--json',
    ];
    const whole = path.join(dir, 'resume-whole');
    await initRepo(whole);
    const counting = await startFlakyProxy(inject('sourceUrl'), () => undefined);
    // Queries only: the UID metadata GETs go out while the points are read, and a resumed run asks them
    // again (they are not journaled), as it does the few requests every run starts with.
    const queries = (): number => counting.stats.queries;
    try {
      const base = await cli(args(whole, counting.url));
      expect(base.code, base.stderr).toBe(0);
      const wholeQueries = queries();

      const repo = path.join(dir, 'resume-killed');
      await initRepo(repo);
      const before = queries();
      const child = spawnCli(args(repo, counting.url));
      // Killed once the run has recorded a few stored windows, and before it is done.
      const journal = async (): Promise<string[]> => (await readdir(path.join(repo, 'runs')).catch(() => [])).filter((f) => f.includes('.journal-'));
      while ((await journal()).length < 4) await new Promise((r) => setTimeout(r, 10));
      await child.stop();
      const killedQueries = queries() - before;
      expect(await readdir(path.join(repo, 'backups')).catch(() => [])).toEqual([]);

      const r = await cli(args(repo, counting.url));
      expect(r.code, r.stderr).toBe(0);
      const resumedQueries = queries() - before - killedQueries;
      expect(r.json.find((e) => e.type === 'notice')).toMatchObject({ message: expect.stringMatching(/^resuming the interrupted backup /) });
      expect(summaryOf(r)).toMatchObject({ points: METRICS.length * PER_METRIC, resumed: { points: expect.any(Number) } });
      expect((summaryOf(r).resumed as { points: number }).points).toBeGreaterThan(0);
      // What the killed run had read but not recorded is read again: a window or a batch of first windows
      // (a count and a read), not the whole backup. Measured on 2.4.1: whole 5, killed + resumed 6 (3 runs).
      expect(killedQueries + resumedQueries).toBeLessThanOrEqual(wholeQueries + 3);
      expect(resumedQueries).toBeLessThan(wholeQueries);
      const a = await Repository.open(new LocalStorage(whole));
      const b = await Repository.open(new LocalStorage(repo));
      expect(await pointsOfBackup(b, await b.resolve(undefined))).toEqual(await pointsOfBackup(a, await a.resolve(undefined)));
      // (a temporary file the killed process was writing may stay: no reader ever takes it for an object)
      expect((await readdir(path.join(repo, 'runs'))).filter((f) => !f.includes('.tmp-'))).toEqual([]);
    } finally {
      await counting.close();
    }
  });

  it('a restore that meets a damaged chunk stops before writing and says so (exit 4)', async () => {
    const repo = path.join(dir, 'damaged');
    await initRepo(repo);
    const full = await cli(['full', '--source', inject('sourceUrl'), '--repo', repo, ...range, '--json']);
    expect(full.code, full.stderr).toBe(0);
    const id = String(summaryOf(full).backupId);
    const manifest = JSON.parse(await readFile(path.join(repo, 'backups', id, 'manifest.json'), 'utf8')) as { chunks: Array<{ key: string }> };
    await writeFile(path.join(repo, ...manifest.chunks.at(-1)!.key.split('/')), 'damaged');
    const r = await cli(['restore', '--repo', repo, '--target', inject('targetUrl'), '--concurrency', '1', '--json']);
    expect(r.code, r.stderr).toBe(4);
    const of = manifest.chunks.length;
    // The check of the target reads every chunk before anything is written: the damaged one stops the
    // restore with nothing written (--skip-damaged restores around it).
    expect(r.json.at(-1)).toMatchObject({ type: 'error', code: 'CHUNK_CORRUPT', details: { written: { points: 0, chunks: 0, of } } });
    expect(r.stderr).toMatch(new RegExp(`restore stopped after writing 0 points and 0 of ${of} chunks`));
  });

  it('bad values exit 2 naming the flag, before the TSD or the repository is touched', async () => {
    const repo = path.join(dir, 'untouched');
    for (const [args, flag] of [
      [['full', '--source', inject('sourceUrl'), '--repo', repo, '--max-window', '0s'], '--max-window'],
      [['full', '--source', inject('sourceUrl'), '--repo', repo, '--timeout', '50d'], '--timeout'],
      [['full', '--source', inject('sourceUrl'), '--repo', repo, '--start', '2026-02-01', '--end', '2026-01-01'], '--start'],
      [['restore', '../../etc', '--repo', repo, '--dry-run'], 'backup id'],
      [['restore', '--target', 'http://[bad', '--repo', repo], '--target'],
    ] as Array<[string[], string]>) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(flag);
    }
    await expect(readdir(repo)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
