// npm run bench [-- --points 1000000,5000000] [--source URL --target URL] [--concurrency 4]
// Generates the benchmark dataset, writes it into the source TSD, backs it up and restores it into the
// target, and prints: points, repository bytes per point, the ratio to zstd -3 of the same data as
// /api/query JSON, backup points/s and the ratio to a plain fetch of the same queries at the same
// concurrency, restore points/s and the share of it spent checking the target before writing (every
// chunk read and compared with the target), and peak RSS of the backup and restore processes.
// Then an incremental after one more hour of data (its cost follows the new data, not the history), and
// backup and restore with an S3 repository (S3Proxy in the harness, s3rver with the fake TSD) next to
// local disk. Without --source/--target it starts the real OpenTSDB harness when Java is there, else
// the fake TSD.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import { compress } from 'zstd-napi';
import { LocalStorage } from '../src/storage/local-storage.js';
import { Repository } from '../src/repository/repository.js';
import { shapeFor } from './bench-dataset.js';
import { seed } from './bench-seed.js';
import { runChild } from './run-child.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    source: { type: 'string' },
    target: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    fake: { type: 'boolean', default: false },
    's3-points': { type: 'string', default: '1000000' },
  },
});
const concurrency = Number(values.concurrency);

interface S3Target {
  endpoint: string;
  bucket: string;
  kind: string;
}

async function clusters(): Promise<{ source: string; target: string; kind: string; s3?: S3Target; stop: () => Promise<void> }> {
  if (values.source && values.target) return { source: values.source, target: values.target, kind: 'given', stop: async () => undefined };
  if (!values.fake) {
    const { javaAvailable, startHarness } = await import('../test/e2e/harness/harness.js');
    if (await javaAvailable()) {
      const h = await startHarness({ withS3: true, hbaseHeapMb: 6144, tsdHeapMb: 2048, log: (l) => process.stderr.write(`harness: ${l}\n`) });
      if (h.s3) {
        process.env.AWS_ACCESS_KEY_ID = h.s3.accessKeyId;
        process.env.AWS_SECRET_ACCESS_KEY = h.s3.secretAccessKey;
      }
      const s3 = h.s3 ? { endpoint: h.s3.endpoint, bucket: h.s3.bucket, kind: 'S3Proxy' } : undefined;
      return { source: h.sourceUrl, target: h.targetUrl, kind: 'OpenTSDB 2.4.1 on HBase (harness)', s3, stop: () => h.stop() };
    }
  }
  const { startFakeTsd } = await import('../test/support/fake-tsd/index.js');
  const { startS3Server } = await import('../test/support/s3-server.js');
  const src = await startFakeTsd({ autoCreateMetrics: true, enableChunked: true, maxChunk: 1 << 20 });
  const dst = await startFakeTsd();
  const s3 = await startS3Server();
  process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
  return {
    source: src.url,
    target: dst.url,
    kind: 'in-process fake TSD',
    s3: { endpoint: s3.endpoint, bucket: s3.bucket, kind: 's3rver' },
    stop: async () => {
      await Promise.all([src.close(), dst.close(), s3.stop()]);
    },
  };
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
          // the same transport as the backup's (uncompressed answers), so that the ratio is the client's cost alone
          headers: { 'content-type': 'application/json', 'accept-encoding': 'identity' },
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
const incrementalRows: string[][] = [];
const s3Rows: string[][] = [];
const rate = (points: number, seconds: number): string => Math.round(points / seconds).toString();
try {
  const sizes = values.points.split(',').map(Number);
  for (const [k, total] of sizes.entries()) {
    const start = Date.UTC(2025, 0, 1) + k * 400 * 86_400_000;
    const shape = shapeFor(total, start);
    const end = start + shape.pointsPerSeries * shape.intervalMs + 1000;
    process.stderr.write(`bench: seeding ${shape.series} series x ${shape.pointsPerSeries} points into ${c.source}\n`);
    const t0 = performance.now();
    const { written } = await seed(c.source, shape);
    process.stderr.write(`bench: seeded ${written} points in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const repoDir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-bench-'));
    try {
      const b = await runChild(['backup', c.source, repoDir, String(start), String(end), String(concurrency)]);
      const f = await plainFetch(c.source, repoDir, String(b.id));
      const r = await runChild(['restore', c.target, repoDir, '0', '0', String(concurrency)]);

      // One more hour of data, then an incremental chained to the full backup.
      const hour = { ...shape, start: start + shape.pointsPerSeries * shape.intervalMs, pointsPerSeries: 360 };
      await seed(c.source, hour, 7);
      const incrEnd = hour.start + 360 * shape.intervalMs + 1000;
      const inc = await runChild(['incremental', c.source, repoDir, '0', String(incrEnd), String(concurrency)]);
      incrementalRows.push([String(b.points), (b.seconds!).toFixed(1), String(inc.points), (inc.seconds!).toFixed(1), ((100 * inc.points!) / b.points!).toFixed(1), String(inc.queries)]);

      if (c.s3 && total <= Number(values['s3-points'])) {
        const s3Repo = `s3://${c.s3.bucket}/bench-${Date.now()}`;
        const env = { BENCH_S3_ENDPOINT: c.s3.endpoint };
        const sb = await runChild(['backup', c.source, s3Repo, String(start), String(end), String(concurrency)], env);
        const sr = await runChild(['restore', c.target, s3Repo, '0', '0', String(concurrency)], env);
        s3Rows.push([
          String(sb.points),
          `${rate(b.points!, b.seconds!)} / ${rate(sb.points!, sb.seconds!)}`,
          `${rate(r.written!, r.seconds!)} / ${rate(sr.written!, sr.seconds!)}`,
          `${b.maxRssMb!.toFixed(0)} / ${sb.maxRssMb!.toFixed(0)}`,
          `${r.maxRssMb!.toFixed(0)} / ${sr.maxRssMb!.toFixed(0)}`,
        ]);
      }
      const backupRate = b.points! / b.seconds!;
      const fetchRate = b.points! / f.seconds;
      rows.push([
        String(b.points),
        (b.bytes! / b.points!).toFixed(3),
        (f.zstd3 / b.bytes!).toFixed(2),
        Math.round(backupRate).toString(),
        (backupRate / fetchRate).toFixed(2),
        Math.round(r.written! / r.seconds!).toString(),
        `${((100 * r.checkSeconds!) / r.seconds!).toFixed(1)}%`,
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
function table(title: string, header: string[], body: string[][]): void {
  if (body.length === 0) return;
  console.log(`\n${title}`);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  for (const line of [header, ...body]) console.log(line.map((x, i) => x.padStart(widths[i]!)).join('  '));
}
console.log(`TSD: ${c.kind}, concurrency ${concurrency}, dataset: see bench/bench-dataset.ts`);
table('full backup and restore, local repository', ['points', 'bytes/point', 'zstd3-json/repo', 'backup pts/s', 'backup/plain-fetch', 'restore pts/s', 'target check', 'restore failed', 'backup RSS MB', 'restore RSS MB'], rows);
table('incremental after one more hour of data (1 h overlap)', ['full points', 'full s', 'incremental points', 'incremental s', '% of full', 'queries'], incrementalRows);
table(`local / S3 repository (${c.s3?.kind ?? 'none'})`, ['points', 'backup pts/s', 'restore pts/s', 'backup RSS MB', 'restore RSS MB'], s3Rows);
