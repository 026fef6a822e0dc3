// npm run bench:inspect-memory [-- --metrics 4 --series 50 --points 5000] [--source URL] [--fake] [--code DIR]
// Peak RSS and wall time of `diff` and `compare` on a backup of many points in a few metrics. Writes
// metrics x series x points (10 s apart) into the TSD, takes two full backups of them with the CLI, then
// runs `diff <full1> <full2>` and `compare` (both read every chunk of both sides) as the operator's CLI
// (bin/tsdb-backup.js with its V8 flags, from --code DIR to measure another checkout's build), each under
// /usr/bin/time. Needs `npm run build` in the measured checkout.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { putPoints } from '../test/support/put-points.js';
import type { SeedPoint } from '../test/support/dataset.js';
import { sourceTsd } from './bench-clusters.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    metrics: { type: 'string', default: '4' },
    series: { type: 'string', default: '50' },
    points: { type: 'string', default: '5000' },
    source: { type: 'string' },
    fake: { type: 'boolean', default: false },
    code: { type: 'string' },
    run: { type: 'string', default: Date.now().toString(36) },
  },
});
const [metricCount, seriesCount, perSeries] = [Number(values.metrics), Number(values.series), Number(values.points)];
const INTERVAL = 10_000;
const start = Date.UTC(2025, 6, 1);
const end = start + perSeries * INTERVAL;
const prefix = `inspmem.${values.run}`;
const codeDir = path.resolve(values.code ?? path.join(import.meta.dirname, '..'));

function* points(): Generator<SeedPoint> {
  for (let m = 0; m < metricCount; m++) {
    for (let s = 0; s < seriesCount; s++) {
      for (let i = 0; i < perSeries; i++) {
        const value = i % 3 === 0 ? `${(s * 7 + i) % 1000}.25` : String((s * 7 + i) % 1000);
        yield { metric: `${prefix}.m${m}`, tags: { host: `host-${String(s).padStart(4, '0')}` }, timestamp: start + i * INTERVAL, value };
      }
    }
  }
}

/** Runs the CLI under /usr/bin/time: exit code, peak RSS (MB), wall seconds, stdout. */
async function cli(args: string[]): Promise<{ code: number; rssMb: number; seconds: number; stdout: string }> {
  const r = await run('/usr/bin/time', ['-f', 'TIME %M %e', path.join(codeDir, 'bin/tsdb-backup.js'), ...args], { maxBuffer: 1 << 28 }).catch(
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  const m = /TIME (\d+) ([\d.]+)\s*$/.exec(r.stderr);
  if (!m) throw new Error(`no figures from /usr/bin/time for ${args[0]}: ${r.stderr.slice(-2000)}`);
  return { code: 'code' in r && typeof r.code === 'number' ? r.code : 0, rssMb: Number(m[1]) / 1024, seconds: Number(m[2]), stdout: r.stdout };
}

const tsd = await sourceTsd(values.source, values.fake);
const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-bench-inspect-'));
const rows: string[] = [];
try {
  const total = metricCount * seriesCount * perSeries;
  process.stderr.write(`bench: writing ${metricCount} metrics x ${seriesCount} series x ${perSeries} points (${total.toLocaleString('en')} points)\n`);
  await putPoints(tsd.url, points(), { maxBodyBytes: 500_000, concurrency: 4 });
  const repoArgs = ['--repo', repo];
  await cli(['init', ...repoArgs, '--insecure-no-encryption']);
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const b = await cli(['full', '--source', tsd.url, ...repoArgs, '--metric', `${prefix}.*`, '--start', String(start), '--end', String(end), '--json']);
    const summary = JSON.parse(b.stdout.trim().split('\n').pop()!) as { backupId: string; points: number };
    if (b.code !== 0 || summary.points !== total) throw new Error(`full backup: exit ${b.code}, ${summary.points} points`);
    ids.push(summary.backupId);
    rows.push(`full: ${summary.points} points, peak RSS ${b.rssMb.toFixed(0)} MB, ${b.seconds} s`);
  }
  for (const args of [
    ['diff', ids[0]!, ids[1]!],
    ['compare', ids[1]!, '--source', tsd.url],
  ]) {
    const r = await cli([...args, ...repoArgs, '--json']);
    const last = r.stdout.trim().split('\n').pop() ?? '';
    rows.push(`${args[0]}: exit ${r.code}, peak RSS ${r.rssMb.toFixed(0)} MB, ${r.seconds} s; ${last.slice(0, 300)}`);
  }
} finally {
  await rm(repo, { recursive: true, force: true });
  await tsd.stop();
}
console.log(`TSD: ${tsd.kind}; code: ${codeDir}`);
for (const r of rows) console.log(r);
