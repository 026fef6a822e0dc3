// npm run bench [-- --points 1000000,5000000] [--source URL --target URL] [--concurrency 4]
// Generates the benchmark dataset, writes it into the source TSD, backs it up and restores it into the
// target, and prints: points, repository bytes per point, the ratio to zstd -3 of the same data as
// /api/query JSON, backup points/s and the ratio to a plain fetch of the same queries at the same
// concurrency, restore points/s, and peak RSS of the backup and restore processes.
// Without --source/--target it starts the real OpenTSDB harness when Java is there, else the fake TSD.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import { compress } from 'zstd-napi';
import { LocalStorage } from '../src/storage/local-storage.js';
import { Repository } from '../src/repository/repository.js';
import { putPoints } from '../test/support/put-points.js';
import { benchPoints, shapeFor } from './bench-dataset.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    source: { type: 'string' },
    target: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    fake: { type: 'boolean', default: false },
  },
});
const concurrency = Number(values.concurrency);

async function clusters(): Promise<{ source: string; target: string; kind: string; stop: () => Promise<void> }> {
  if (values.source && values.target) return { source: values.source, target: values.target, kind: 'given', stop: async () => undefined };
  if (!values.fake) {
    const { javaAvailable, startHarness } = await import('../test/e2e/harness/harness.js');
    if (await javaAvailable()) {
      const h = await startHarness({ log: (l) => process.stderr.write(`harness: ${l}\n`) });
      return { source: h.sourceUrl, target: h.targetUrl, kind: 'OpenTSDB 2.4.1 on HBase (harness)', stop: () => h.stop() };
    }
  }
  const { startFakeTsd } = await import('../test/support/fake-tsd/index.js');
  const src = await startFakeTsd({ autoCreateMetrics: true, enableChunked: true, maxChunk: 1 << 20 });
  const dst = await startFakeTsd();
  return { source: src.url, target: dst.url, kind: 'in-process fake TSD', stop: async () => { await src.close(); await dst.close(); } };
}

function runChild(args: string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'measure-child.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>) : reject(new Error(`${args[0]} exited ${code}`))));
  });
}

/** The same queries the backup made, fetched at the same concurrency without decoding or storing. */
async function plainFetch(source: string, repoDir: string, id: string): Promise<{ seconds: number; bytes: number; zstd3: number }> {
  const repo = await Repository.open(new LocalStorage(repoDir));
  const m = await repo.readManifest(id);
  const limit = pLimit(concurrency);
  let bytes = 0;
  let zstd3 = 0;
  const bodies: Buffer[] = [];
  const t0 = performance.now();
  await Promise.all(
    m.chunks.map((c) =>
      limit(async () => {
        const sub: Record<string, unknown> = { aggregator: 'none', metric: c.metric };
        if (c.filters) sub.filters = c.filters;
        const res = await fetch(`${source}/api/query?arrays`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ start: c.start, end: c.end, msResolution: true, noAnnotations: true, queries: [sub] }),
        });
        const body = Buffer.from(await res.arrayBuffer());
        bytes += body.length;
        bodies.push(body);
      }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  for (const b of bodies) zstd3 += compress(b, { compressionLevel: 3 }).length;
  return { seconds, bytes, zstd3 };
}

const c = await clusters();
const rows: string[][] = [];
try {
  const sizes = values.points.split(',').map(Number);
  for (const [k, total] of sizes.entries()) {
    const start = Date.UTC(2025, 0, 1) + k * 400 * 86_400_000;
    const shape = shapeFor(total, start);
    const end = start + shape.pointsPerSeries * shape.intervalMs + 1000;
    process.stderr.write(`bench: seeding ${shape.series} series x ${shape.pointsPerSeries} points into ${c.source}\n`);
    const t0 = performance.now();
    const { written } = await putPoints(c.source, benchPoints(shape), { maxBodyBytes: 500_000, concurrency: 4 });
    process.stderr.write(`bench: seeded ${written} points in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const repoDir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-bench-'));
    try {
      const b = await runChild(['backup', c.source, repoDir, String(start), String(end), String(concurrency)]);
      const f = await plainFetch(c.source, repoDir, String(b.id));
      const r = await runChild(['restore', c.target, repoDir, '0', '0', String(concurrency)]);
      const backupRate = b.points! / b.seconds!;
      const fetchRate = b.points! / f.seconds;
      rows.push([
        String(b.points),
        (b.bytes! / b.points!).toFixed(3),
        (f.zstd3 / b.bytes!).toFixed(2),
        Math.round(backupRate).toString(),
        (backupRate / fetchRate).toFixed(2),
        Math.round(r.written! / r.seconds!).toString(),
        String(r.failed),
        b.maxRssMb!.toFixed(0),
        r.maxRssMb!.toFixed(0),
      ]);
    } finally {
      await rm(repoDir, { recursive: true, force: true });
    }
  }
} finally {
  await c.stop();
}
const header = ['points', 'bytes/point', 'zstd3-json/repo', 'backup pts/s', 'backup/plain-fetch', 'restore pts/s', 'restore failed', 'backup RSS MB', 'restore RSS MB'];
console.log(`TSD: ${c.kind}, concurrency ${concurrency}`);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const line of [header, ...rows]) console.log(line.map((x, i) => x.padStart(widths[i]!)).join('  '));
