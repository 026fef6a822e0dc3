// npm run bench:series-memory [-- --series 3000 --hours 1,4] [--source URL] [--fake] [--target-points N] [--code DIR]
// Peak RSS of a backup of one metric with many series (10 s interval) at several lengths of history,
// to show whether memory grows with the size of a metric. Each length is written as its own metric
// (seriesmem<H>h.<run>), backed up alone in a child process. --target-points makes windows (and so
// chunks) smaller, which multiplies what any per-chunk state costs; --code measures another checkout.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { putPoints } from '../test/support/put-points.js';
import type { SeedPoint } from '../test/support/dataset.js';
import { sourceTsd } from './bench-clusters.js';
import { runChild } from './run-child.js';

const { values } = parseArgs({
  options: {
    series: { type: 'string', default: '3000' },
    hours: { type: 'string', default: '1,4' },
    source: { type: 'string' },
    fake: { type: 'boolean', default: false },
    'target-points': { type: 'string' },
    code: { type: 'string' },
    run: { type: 'string', default: Date.now().toString(36) },
    'skip-seed': { type: 'boolean', default: false },
  },
});
const seriesCount = Number(values.series);
const INTERVAL = 10_000;
const HOUR = 3_600_000;

function* points(metric: string, start: number, hours: number): Generator<SeedPoint> {
  const perSeries = (hours * HOUR) / INTERVAL;
  for (let s = 0; s < seriesCount; s++) {
    for (let i = 0; i < perSeries; i++)
      yield {
        metric,
        tags: { host: `host-${String(s).padStart(5, '0')}`, dc: `dc${s % 4}` },
        timestamp: start + i * INTERVAL,
        value: String((s * 7 + i) % 1000),
      };
  }
}

const tsd = await sourceTsd(values.source, values.fake);
const rows: string[] = [];
try {
  const start = Date.UTC(2025, 6, 1);
  for (const hours of values.hours.split(',').map(Number)) {
    const metric = `seriesmem${hours}h.${values.run}`;
    if (!values['skip-seed']) {
      process.stderr.write(
        `bench: writing ${seriesCount} series x ${hours} h at 10 s (${(seriesCount * hours * 360).toLocaleString('en')} points) as ${metric}\n`,
      );
      const t0 = performance.now();
      await putPoints(tsd.url, points(metric, start, hours), { maxBodyBytes: 500_000, concurrency: 4 });
      process.stderr.write(`bench: written in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    }
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-bench-series-'));
    try {
      const env: Record<string, string> = { BENCH_METRICS: metric };
      if (values['target-points']) env.BENCH_TARGET_POINTS = values['target-points'];
      const b = await runChild(
        ['backup', tsd.url, repo, String(start), String(start + hours * HOUR), '4'],
        env,
        values.code ? path.resolve(values.code) : undefined,
      );
      rows.push(
        `${hours} h: ${b.series} series, ${b.points} points, ${b.chunks} chunks, ${b.queries} queries, wall ${b.seconds!.toFixed(1)} s, CPU ${b.cpuSeconds!.toFixed(1)} s, peak RSS ${b.maxRssMb!.toFixed(0)} MB`,
      );
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  }
} finally {
  await tsd.stop();
}
console.log(`TSD: ${tsd.kind}; target points per query ${values['target-points'] ?? 'default'}${values.code ? `; code: ${values.code}` : ''}`);
for (const r of rows) console.log(r);
