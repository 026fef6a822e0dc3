// Peak RSS of a backup and a restore as the data grows (issue 12: at most 256 MB at 1M and 10M points and for
// the largest single metric): the benchmark mix at each --points size, and --single-metric points in ONE
// metric (3,000 series, 10 s interval), each seeded into its own time range of the harness's source TSD,
// backed up alone and restored into the (default-config) target by child processes that report their peak
// RSS with the CLI's V8 flags (bench/run-child.ts).
// npm run bench:memory-scale [-- --points 1000000,10000000 --single-metric 10000000]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { putPoints } from '../test/support/put-points.js';
import type { SeedPoint } from '../test/support/dataset.js';
import { startHarness } from '../test/e2e/harness/harness.js';
import { shapeFor } from './bench-dataset.js';
import { seed } from './bench-seed.js';
import { runChild } from './run-child.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000,10000000' },
    'single-metric': { type: 'string', default: '10000000' },
    'base-port': { type: 'string', default: '19242' },
  },
});
const h = await startHarness({
  basePort: Number(values['base-port']),
  hbaseHeapMb: 4096,
  tsdHeapMb: 2048,
  log: (l) => process.stderr.write(`harness: ${l}\n`),
});
const work = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-memory-scale-'));
const rows: string[][] = [];

async function measure(label: string, points: number, range: { start: number; end: number }, metrics?: string): Promise<void> {
  const repo = path.join(work, label.replace(/\W+/g, '-'));
  const env: Record<string, string> = metrics ? { BENCH_METRICS: metrics } : {};
  const b = await runChild(['backup', h.sourceUrl, repo, String(range.start), String(range.end), '4'], env);
  if (b.points !== points) throw new Error(`${label}: backed up ${b.points} of ${points} points`);
  const r = await runChild(['restore', h.targetUrl, repo, '0', '0', '4']);
  if (r.written !== points || r.failed !== 0) throw new Error(`${label}: restored ${r.written} of ${points} points, ${r.failed} failed`);
  rows.push([label, String(points), b.maxRssMb!.toFixed(0), b.seconds!.toFixed(1), r.maxRssMb!.toFixed(0), r.seconds!.toFixed(1)]);
  process.stderr.write(
    `bench: ${label}: backup RSS ${b.maxRssMb!.toFixed(0)} MB in ${b.seconds!.toFixed(1)} s, restore RSS ${r.maxRssMb!.toFixed(0)} MB in ${r.seconds!.toFixed(1)} s\n`,
  );
  await rm(repo, { recursive: true, force: true });
}

try {
  for (const [k, total] of values.points.split(',').map(Number).entries()) {
    const start = Date.UTC(2025, 0, 1) + k * 400 * 86_400_000;
    const shape = shapeFor(total, start);
    process.stderr.write(`bench: seeding the mix, ${shape.series} series x ${shape.pointsPerSeries} points\n`);
    const { written } = await seed(h.sourceUrl, shape);
    await measure(`mix ${total}`, written, { start: start - 1000, end: start + shape.pointsPerSeries * shape.intervalMs + 1000 });
  }
  const single = Number(values['single-metric']);
  if (single > 0) {
    const series = 3000;
    const perSeries = Math.ceil(single / series);
    const start = Date.UTC(2023, 0, 1);
    process.stderr.write(`bench: seeding one metric, ${series} series x ${perSeries} points\n`);
    let batch: SeedPoint[] = [];
    let written = 0;
    for (let s = 0; s < series; s++) {
      for (let i = 0; i < perSeries; i++)
        batch.push({ metric: 'memscale.single', tags: { host: `h${s}` }, timestamp: start + i * 10_000, value: String((s * 7 + i) % 1000) });
      if (batch.length >= 200_000) {
        written += (await putPoints(h.sourceUrl, batch, { maxBodyBytes: 500_000, concurrency: 4 })).written;
        batch = [];
      }
    }
    written += (await putPoints(h.sourceUrl, batch, { maxBodyBytes: 500_000, concurrency: 4 })).written;
    await measure(`one metric, ${series} series`, written, { start, end: start + perSeries * 10_000 }, 'memscale.single');
  }
  console.log('\npeak RSS (MB) of the backup and restore processes');
  console.log(['dataset', 'points', 'backup RSS', 'backup s', 'restore RSS', 'restore s'].join('\t'));
  for (const r of rows) console.log(r.join('\t'));
} finally {
  await rm(work, { recursive: true, force: true });
  await h.stop();
}
