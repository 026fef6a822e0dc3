// npm run bench:idle [-- --metrics 1000] [--source URL] [--fake] [--all] [--code DIR]
// Seeds N metrics with a UID and no data (/api/uid/assign only) and N idle metrics (two points 3 to
// 10 weeks ago, one 4 to 8 months ago), then runs a full backup without a start (from 1970, as the
// CLI's default) in a child process, and prints its queries, wall time, CPU time and peak RSS. With
// --source the backup takes only the seeded metrics (idlebench.*) unless --all; a fresh harness holds
// only them. --code runs another checkout's bench/measure-child.ts (e.g. the code before a change).

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
    metrics: { type: 'string', default: '1000' },
    source: { type: 'string' },
    fake: { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
    code: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    prefix: { type: 'string', default: `idlebench${Date.now().toString(36)}` },
  },
});
const n = Number(values.metrics);
const DAY = 86_400_000;
const prefix = values.prefix;

async function assign(url: string, names: string[]): Promise<void> {
  for (let i = 0; i < names.length; i += 500) {
    const res = await fetch(`${url}/api/uid/assign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metric: names.slice(i, i + 500) }),
    });
    if (res.status !== 200 && res.status !== 400) throw new Error(`uid assign: HTTP ${res.status} ${await res.text()}`);
  }
}

const tsd = await sourceTsd(values.source, values.fake);
try {
  const now = Date.now();
  const noData = Array.from({ length: n }, (_, i) => `${prefix}.nodata.${i}`);
  const idle = Array.from({ length: n }, (_, i) => `${prefix}.idle.${i}`);
  process.stderr.write(`bench: assigning ${2 * n} metric UIDs and writing ${3 * n} idle points into ${tsd.url}\n`);
  await assign(tsd.url, [...noData, ...idle]);
  const points: SeedPoint[] = idle.flatMap((metric, i) => [
    { metric, tags: { host: 'a' }, timestamp: Math.floor((now - (21 + (i % 50)) * DAY) / 1000) * 1000, value: String(i) },
    { metric, tags: { host: 'a' }, timestamp: Math.floor((now - (21 + (i % 50)) * DAY) / 1000) * 1000 + 10_000, value: '1.5' },
    { metric, tags: { host: 'b' }, timestamp: Math.floor((now - (120 + (i % 120)) * DAY) / 1000) * 1000, value: '7' },
  ]);
  await putPoints(tsd.url, points, { concurrency: 4 });

  const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-bench-idle-'));
  try {
    const env: Record<string, string> = values.all ? {} : { BENCH_METRICS: `${prefix}.*` };
    const b = await runChild(['backup', tsd.url, repo, '1000', String(now), values.concurrency], env, values.code ? path.resolve(values.code) : undefined);
    console.log(
      `TSD: ${tsd.kind}; ${n} data-less + ${n} idle metrics; full backup from 1970 (start 1000 ms), concurrency ${values.concurrency}${values.code ? `; code: ${values.code}` : ''}`,
    );
    console.log(
      `points ${b.points}, chunks ${b.chunks}, queries ${b.queries} (${(b.queries! / (2 * n)).toFixed(1)} per metric), wall ${b.seconds!.toFixed(1)} s, CPU ${b.cpuSeconds!.toFixed(1)} s, peak RSS ${b.maxRssMb!.toFixed(0)} MB`,
    );
  } finally {
    await rm(repo, { recursive: true, force: true });
  }
} finally {
  await tsd.stop();
}
