// --limit-points, --limit-bytes, --limit-upload and --limit-download as an operator uses them: the
// values they take, and backups and restores that keep to them (the fake TSD; e2e/limits proves it on
// the real one).

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { summaryOf } from '../support/json-output.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';
import { useTempDir } from '../support/temp-dir.js';
import type { SeedPoint } from '../support/dataset.js';

const START = Date.UTC(2026, 0, 1);
const POINTS = 3000;

function* points(): Generator<SeedPoint> {
  for (let s = 0; s < 3; s++)
    for (let i = 0; i < POINTS / 3; i++) yield { metric: 'lim.m', tags: { host: `h${s}` }, timestamp: START + i * 1000, value: String(i) };
}

interface LimitJson {
  option: string;
  unit: string;
  perSecond: number;
  amount: number;
  achievedPerSecond: number;
  throttledMs: number;
  tsd?: string;
}

const limitsOf = (r: { json: Array<Record<string, unknown>> }): LimitJson[] => (summaryOf(r).limits as LimitJson[] | undefined) ?? [];
const range = ['--start', String(START), '--end', String(START + POINTS * 1000)];

describe('rate limit options', () => {
  const dir = useTempDir('limits-cli-');
  let source: FakeTsd;
  let target: FakeTsd;
  let repo = '';
  beforeAll(async () => {
    source = await startFakeTsd();
    target = await startFakeTsd();
    await putPoints(source.url, points());
    repo = path.join(dir(), 'repo');
    await initRepo(repo);
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  it.each([
    [['--limit-points', 'fast'], /--limit-points: expected a number of points per second such as 5000, 100k or 1.5M, not 'fast'/],
    [['--limit-points', '0'], /--limit-points: must be at least 1 point per second, not '0'/],
    [['--limit-bytes', '10XB'], /--limit-bytes: expected a number of bytes per second such as 500KB/],
    [['--limit-upload', '5MiB/h'], /--limit-upload: expected a number of bytes per second/],
    [['--limit-download', '-1'], /--limit-download: expected a number of bytes per second/],
  ])('%j is a usage error that names the option (exit 2)', async (args, message) => {
    const r = await cli(['full', '--source', source.url, '--repo', repo, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a bad storage limit from the environment or the config file is named by where it came from (exit 2)', async () => {
    const env = await cli(['list', '--repo', repo], { env: { TSDB_BACKUP_LIMIT_UPLOAD: 'lots' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/TSDB_BACKUP_LIMIT_UPLOAD: expected a number of bytes per second/);
    const file = path.join(dir(), 'bad-limits.json');
    await writeFile(file, JSON.stringify({ repo, limits: { download: '3 elephants' } }));
    const conf = await cli(['list', '--config', file]);
    expect(conf.code).toBe(2);
    expect(conf.stderr).toMatch(/field 'limits.download': must be a rate in bytes per second/);
  });

  it('backup --limit-points reads at most that many points per second, and says so in its summary', async () => {
    const began = Date.now();
    const r = await cli(['full', '--source', source.url, '--repo', repo, '--json', '--limit-points', '2000', ...range]);
    const wallMs = Date.now() - began;
    expect(r.code, r.stderr).toBe(0);
    expect(summaryOf(r).points).toBe(POINTS);
    // The bucket starts empty: 3000 points at 2000/s take at least 1.5 s.
    expect(wallMs).toBeGreaterThanOrEqual(1450);
    const [points] = limitsOf(r);
    expect(points).toMatchObject({ option: '--limit-points', unit: 'points', perSecond: 2000, amount: POINTS });
    expect(points!.achievedPerSecond).toBeLessThanOrEqual(2000 * 1.05);
    expect(points!.throttledMs).toBeGreaterThan(1000);
  });

  it('restore --limit-points writes at most that many points per second; --limit-bytes counts the put bodies sent', async () => {
    const r = await cli(['restore', '--repo', repo, '--target', target.url, '--json', '--limit-points', '3000', '--limit-bytes', '10MB', '--no-gzip']);
    expect(r.code, r.stderr).toBe(0);
    const limits = limitsOf(r);
    expect(limits.map((l) => l.option).sort()).toEqual(['--limit-bytes', '--limit-points']);
    const pts = limits.find((l) => l.option === '--limit-points')!;
    expect(pts.amount).toBe(POINTS);
    expect(summaryOf(r).durationMs as number).toBeGreaterThanOrEqual(950);
    const sent = target.stats.requests.filter((q) => q.path.startsWith('/api/')).reduce((n, q) => n + q.bytes, 0);
    const bytes = limits.find((l) => l.option === '--limit-bytes')!;
    // Request bodies and answers: at least what the target received.
    expect(bytes.amount).toBeGreaterThanOrEqual(sent);
    expect(bytes.amount).toBeLessThan(sent * 1.5);
  });

  it('--limit-upload paces the objects written to the repository, and the text summary names the limit', async () => {
    const other = path.join(dir(), 'repo-upload');
    await initRepo(other);
    const r = await cli(['full', '--source', source.url, '--repo', other, '--limit-upload', '4KB', ...range]);
    expect(r.code, r.stderr).toBe(0);
    const line = /limits: --limit-upload 3\.9 KiB\/s: ([\d.]+) (KiB|B)\/s achieved, throttled ([\d.]+) (s|ms)/.exec(r.stderr);
    expect(line, r.stderr).not.toBeNull();
    const achieved = Number(line![1]) * (line![2] === 'KiB' ? 1024 : 1);
    expect(achieved).toBeLessThanOrEqual(4000 * 1.05);
  });

  it('replicate --limit-points paces the reads of the primary; each TSD has its own --limit-bytes', async () => {
    const standby = await startFakeTsd();
    try {
      const began = Date.now();
      const r = await cli([
        'replicate',
        '--source',
        source.url,
        '--target',
        standby.url,
        '--state',
        path.join(dir(), 'state.json'),
        '--start',
        String(START),
        '--once',
        '--json',
        '--limit-points',
        '3000',
        '--limit-bytes',
        '50MB',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(Date.now() - began).toBeGreaterThanOrEqual(950);
      expect(summaryOf(r).pointsWritten).toBe(POINTS);
      const limits = limitsOf(r);
      expect(limits.map((l) => `${l.option}${l.tsd ? ` (${l.tsd})` : ''}`).sort()).toEqual([
        '--limit-bytes (source)',
        '--limit-bytes (target)',
        '--limit-points',
      ]);
      expect(limits.find((l) => l.option === '--limit-points')!.amount).toBe(POINTS);
    } finally {
      await standby.close();
    }
  });

  it('a storage limit comes from the config file, and the flag beats it', async () => {
    const file = path.join(dir(), 'limits.json');
    await writeFile(file, JSON.stringify({ repo, limits: { download: '1MB' } }));
    const fromFile = await cli(['restore', '--config', file, '--dry-run', '--json']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(limitsOf(fromFile)).toMatchObject([{ option: '--limit-download', perSecond: 1_000_000 }]);
    const fromFlag = await cli(['restore', '--config', file, '--dry-run', '--json', '--limit-download', '2MiB']);
    expect(limitsOf(fromFlag)).toMatchObject([{ option: '--limit-download', perSecond: 2 * 1024 * 1024 }]);
  });
});
