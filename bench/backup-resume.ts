// Resumable backups (issue 13): kill -9 a backup of the benchmark mix at random moments, run the same
// command again (it resumes the interrupted run), and report how much more the two runs read from the
// TSD than one uninterrupted run, through a counting proxy (what an answer cost the TSD counts even if
// the killed client never read it). Every resumed backup is compared point by point with the
// uninterrupted one.
// npm run bench:backup-resume [-- --points 1000000 --kills 10 --target-points 150000 --seed 7]

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startHarness } from '../test/e2e/harness/harness.js';
import { prng } from '../test/support/dataset.js';
import { pointsOfBackup } from '../test/support/backup-points.js';
import { Repository } from '../src/repository/repository.js';
import { LocalStorage } from '../src/storage/local-storage.js';
import { shapeFor } from './bench-dataset.js';
import { seed } from './bench-seed.js';
import { startTraceProxy } from './request-trace.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    kills: { type: 'string', default: '10' },
    'target-points': { type: 'string', default: '150000' },
    seed: { type: 'string', default: '7' },
    'base-port': { type: 'string', default: '19242' },
  },
});
const BIN = path.resolve(import.meta.dirname, '../bin/tsdb-backup.js');
const h = await startHarness({
  basePort: Number(values['base-port']),
  hbaseHeapMb: 4096,
  tsdHeapMb: 2048,
  log: (l) => process.stderr.write(`harness: ${l}\n`),
});
const work = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-resume-bench-'));
const proxy = await startTraceProxy(h.sourceUrl);
const random = prng(Number(values.seed));

function run(args: string[], killAfterMs?: number): Promise<{ code: number | null; ms: number; summary?: Record<string, unknown>; notices: string[] }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const lines = out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      if (killAfterMs === undefined && code !== 0) reject(new Error(`tsdb-backup ${args[0]} exited ${code}: ${err.slice(-2000)}`));
      resolve({
        code,
        ms: performance.now() - t0,
        summary: lines.find((l) => l.type === 'summary'),
        notices: lines.filter((l) => l.type === 'notice').map((l) => String(l.message)),
      });
    });
  });
}

const readBytes = (): number => proxy.rows().reduce((n, r) => n + r.bytes, 0);
const readRequests = (): number => proxy.rows().reduce((n, r) => n + r.requests, 0);

async function pointsOf(repoDir: string, id: string): Promise<string[]> {
  const repo = await Repository.open(new LocalStorage(repoDir));
  return pointsOfBackup(repo, await repo.readManifest(id));
}

function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

const stats = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0]!.toFixed(1)}%, median ${s[Math.floor((s.length - 1) / 2)]!.toFixed(1)}%, max ${s.at(-1)!.toFixed(1)}%, total ${(xs.reduce((n, x) => n + x, 0) / xs.length).toFixed(1)}% on average`;
};

try {
  const total = Number(values.points);
  const start = Date.UTC(2025, 0, 1);
  const shape = shapeFor(total, start);
  process.stderr.write(`bench: seeding ${shape.series} series x ${shape.pointsPerSeries} points\n`);
  const { written } = await seed(h.sourceUrl, shape);
  const range = ['--start', String(start - 1000), '--end', String(start + shape.pointsPerSeries * shape.intervalMs + 1000)];
  const backupArgs = (repo: string): string[] => [
    'full',
    '--source',
    proxy.url,
    '--repo',
    repo,
    ...range,
    '--target-points',
    values['target-points'],
    '--json',
  ];
  const newRepo = async (name: string): Promise<string> => {
    const dir = path.join(work, name);
    await run(['init', '--repo', dir, '--insecure-no-encryption']);
    return dir;
  };

  // A first run warms the TSD's and HBase's caches; the second is the uninterrupted run measured.
  const warm = await newRepo('warm');
  await run(backupArgs(warm));
  await rm(warm, { recursive: true, force: true });
  const whole = await newRepo('whole');
  proxy.reset();
  const base = await run(backupArgs(whole));
  const baseBytes = readBytes();
  const baseRequests = readRequests();
  const basePoints = await pointsOf(whole, String(base.summary!.backupId));
  if (basePoints.length !== written) throw new Error(`the uninterrupted backup holds ${basePoints.length} of ${written} points`);
  process.stderr.write(
    `bench: uninterrupted: ${written} points in ${(base.ms / 1000).toFixed(1)} s, ${baseRequests} TSD requests, ${(baseBytes / 1e6).toFixed(1)} MB read\n`,
  );

  const extras: number[] = [];
  const rows: string[] = [];
  for (let k = 1; k <= Number(values.kills); k++) {
    let delay = Math.round(base.ms * (0.05 + 0.9 * random()));
    let repo = '';
    let killed: Awaited<ReturnType<typeof run>>;
    // A run faster than the measured one may finish before its kill: the same moment is tried earlier.
    for (let attempt = 0; ; attempt++) {
      repo = await newRepo(`kill-${k}-${attempt}`);
      proxy.reset();
      killed = await run(backupArgs(repo), delay);
      if (killed.code === null || attempt >= 4) break;
      await rm(repo, { recursive: true, force: true });
      delay = Math.round(delay * 0.7);
    }
    const resumed = await run(backupArgs(repo));
    const bytes = readBytes();
    const same = sameLines(await pointsOf(repo, String(resumed.summary!.backupId)), basePoints);
    if (!same) throw new Error(`kill ${k}: the resumed backup differs from the uninterrupted one`);
    const extra = (100 * (bytes - baseBytes)) / baseBytes;
    extras.push(extra);
    const r = resumed.summary!.resumed as { points: number } | undefined;
    const line = `kill ${String(k).padStart(2)} at ${(delay / 1000).toFixed(2)} s (${killed.code === null ? 'killed' : `exited ${killed.code} first`}): ${((bytes - baseBytes) / 1e6).toFixed(1)} MB more than uninterrupted (${r ? `${r.points} points were stored` : 'nothing stored, started over'}); extra ${extra.toFixed(1)}%, identical data`;
    rows.push(line);
    process.stderr.write(`bench: ${line}\n`);
    await rm(repo, { recursive: true, force: true });
  }
  process.stdout.write(
    `\nbackup of ${written} points, --target-points ${values['target-points']}: uninterrupted ${(base.ms / 1000).toFixed(1)} s, ${(baseBytes / 1e6).toFixed(1)} MB from the TSD\n${rows.join('\n')}\nextra read by a killed + resumed backup: ${stats(extras)}\n`,
  );
} finally {
  await proxy.close();
  await h.stop();
  await rm(work, { recursive: true, force: true });
}
