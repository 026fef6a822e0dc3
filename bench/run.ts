// npm run bench [-- --points 1000000,5000000] [--rounds 3] [--source URL --target URL] [--concurrency 4]
//   [--baseline DIR ...] [--warmup 1]
// Generates the benchmark dataset, writes it into the source TSD, backs it up and restores it into the
// target, and prints: points, repository bytes per point, the ratio to zstd -3 of the same data as
// /api/query JSON, backup points/s, restore points/s and the share of it spent checking the target
// before writing (every chunk read and compared with the target), and peak RSS of the backup and restore
// processes. Next to them, its peers, in --rounds interleaved rounds (A B B A: each round reverses the
// order of the previous one), as ratios of speeds (min / median over the rounds): a plain fetch of the
// backup's queries at the same concurrency, and with the real harness OpenTSDB's own `tsdb scan --import`
// over the same range (opentsdb-peers.ts) and `tsdb import` of the same points into the default-config
// target, each restore or import into a target emptied of the range first. Then the bytes per point of
// each kind of value, an incremental after one more hour of data (its cost follows the new data, not the
// history), and backup and restore with an S3 repository (S3Proxy in the harness, s3rver with the fake
// TSD) next to local disk. Without --source/--target it starts the real OpenTSDB harness when Java is
// there, else the fake TSD. Each --baseline DIR (another checkout of this project, built, its node_modules
// in place) backs up and restores in the same rounds, interleaved with this build and the peers, and the
// speed of this build over each baseline's is printed (min / median of the rounds): a change is measured
// against its past on the same TSD at the same moment, not against figures of another day. Before the
// timed rounds, --warmup untimed rounds of the same steps: the warm-up backup makes the TSD compact every
// row it reads, and HBase's flushes and compactions of those rewrites slowed whichever step came first in
// the first timed round (backup 5.8 s, then 2.3-2.6 s; the fetch 1.2 s, then 0.6-0.7 s).

import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { DEFAULT_ZSTD_LEVEL } from '../src/format/zstd-level.js';
import type { Manifest } from '../src/format/manifest.js';
import { exportBackup } from '../src/inspect/export.js';
import { LocalStorage } from '../src/storage/local-storage.js';
import { Repository } from '../src/repository/repository.js';
import type { TsdLaunch } from '../test/e2e/harness/tsd-process.js';
import { benchPoints, shapeFor, type BenchShape } from './bench-dataset.js';
import { seed } from './bench-seed.js';
import { encodingBreakdown, overallBytesPerPoint } from './encoding-breakdown.js';
import { assignNames, clearTarget, countPoints, importNoop, importPeer, median, minMedian, scanNoop, scanPeer, type PeerRun } from './opentsdb-peers.js';
import { plainFetch, plainQueries } from './plain-fetch.js';
import { runChild } from './run-child.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    source: { type: 'string' },
    target: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    fake: { type: 'boolean', default: false },
    's3-points': { type: 'string', default: '1000000' },
    baseline: { type: 'string', multiple: true, default: [] },
    warmup: { type: 'string', default: '1' },
  },
});
const warmup = Number(values.warmup);
if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`--warmup must be a whole number, not ${values.warmup}`);
/** The label of a round in the log; rounds below 0 are the untimed warm-up. */
const roundName = (round: number): string => (round < 0 ? `warm-up ${round + warmup + 1}/${warmup}` : `round ${round + 1}/${rounds}`);
const baselines = values.baseline.map((d) => path.resolve(d));
// a wrong directory fails now, not after the harness has started and the dataset is seeded
for (const dir of baselines) {
  if (!existsSync(path.join(dir, 'bench/measure-child.ts')) || !existsSync(path.join(dir, 'node_modules'))) {
    throw new Error(`--baseline ${dir}: not a checkout of tsdb-backup with its node_modules (bench/measure-child.ts and node_modules are needed)`);
  }
}
/** Pushes a round's figure, unless the round is a warm-up one. */
const keepIn =
  (round: number) =>
  <T>(list: T[], x: T): void =>
    void (round >= 0 && list.push(x));
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, not ${values.rounds}`);

interface S3Target {
  endpoint: string;
  bucket: string;
  kind: string;
}

interface Clusters {
  source: string;
  target: string;
  kind: string;
  s3?: S3Target;
  /** the harness's launch facts: OpenTSDB's own tools can run against its HBase */
  tools?: TsdLaunch;
  stop: () => Promise<void>;
}

async function clusters(): Promise<Clusters> {
  if (values.source && values.target) return { source: values.source, target: values.target, kind: 'given', stop: async () => undefined };
  if (!values.fake) {
    const { javaAvailable, startHarness } = await import('../test/e2e/harness/harness.js');
    if (await javaAvailable()) {
      const h = await startHarness({ withS3: true, hbaseHeapMb: 4096, tsdHeapMb: 2048, log: (l) => process.stderr.write(`harness: ${l}\n`) });
      if (h.s3) {
        process.env.AWS_ACCESS_KEY_ID = h.s3.accessKeyId;
        process.env.AWS_SECRET_ACCESS_KEY = h.s3.secretAccessKey;
      }
      const s3 = h.s3 ? { endpoint: h.s3.endpoint, bucket: h.s3.bucket, kind: 'S3Proxy' } : undefined;
      return { source: h.sourceUrl, target: h.targetUrl, kind: 'OpenTSDB 2.4.1 on HBase (harness)', s3, tools: h.tsdLaunch, stop: () => h.stop() };
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

/** Every metric, tag key and tag value of the dataset (its first point per series). */
function namesOf(shape: BenchShape): { metric: string[]; tagk: string[]; tagv: string[] } {
  const metric = new Set<string>();
  const tagk = new Set<string>();
  const tagv = new Set<string>();
  for (const p of benchPoints({ ...shape, pointsPerSeries: 1 })) {
    metric.add(p.metric);
    for (const [k, v] of Object.entries(p.tags)) {
      tagk.add(k);
      tagv.add(v);
    }
  }
  return { metric: [...metric], tagk: [...tagk], tagv: [...tagv] };
}

/** A backup as `tsdb import` text in `file`; resolves to its number of points (= lines). */
async function exportImportText(repoDir: string, id: string, file: string): Promise<number> {
  const out = createWriteStream(file);
  const repository = await Repository.open(new LocalStorage(repoDir));
  const r = await exportBackup(
    { backupId: id, metrics: [], start: Number.MIN_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER, format: 'import' },
    { repository, write: async (text) => void (out.write(text) || (await once(out, 'drain'))) },
  );
  out.end();
  await once(out, 'finish');
  return r.points;
}

const c = await clusters();
const rows: string[][] = [];
const peerRows: string[][] = [];
const peerNotes: string[] = [];
const kindRows: string[][] = [];
const incrementalRows: string[][] = [];
const s3Rows: string[][] = [];
const baselineRows: string[][] = [];
const rate = (points: number, seconds: number): string => Math.round(points / seconds).toString();
const maxOf = (xs: number[]): number => xs.reduce((a, b) => Math.max(a, b), -Infinity);
try {
  const sizes = values.points.split(',').map(Number);
  for (const [k, total] of sizes.entries()) {
    const start = Date.UTC(2025, 0, 1) + k * 400 * 86_400_000;
    const shape = shapeFor(total, start);
    // A tenth of the series have ms timestamps up to 100 ms early: the range starts a second before the first slot.
    const first = start - 1000;
    const end = start + shape.pointsPerSeries * shape.intervalMs + 1000;
    process.stderr.write(`bench: seeding ${shape.series} series x ${shape.pointsPerSeries} points into ${c.source}\n`);
    const t0 = performance.now();
    const { written } = await seed(c.source, shape);
    process.stderr.write(`bench: seeded ${written} points in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const work = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-bench-'));
    try {
      // Warm-up (untimed): the TSD compacts rows on their first read. Its repository is the one fetched with,
      // restored, exported and backed up incrementally.
      const repoDir = path.join(work, 'repo');
      const w = await runChild(['backup', c.source, repoDir, String(first), String(end), String(concurrency)]);
      const manifest = await (await Repository.open(new LocalStorage(repoDir))).readManifest(String(w.id));
      const metrics = [...new Set(manifest.chunks.map((ch) => ch.metric))].sort();

      // Backup against its peers, A B B A.
      const backups: Record<string, number>[] = [];
      const baseBackups: Record<string, number>[][] = [];
      const baseRestores: Record<string, number>[][] = [];
      const fetches: { seconds: number; zstd3: number }[] = [];
      const scans: PeerRun[] = [];
      const scanStartups: number[] = [];
      for (let round = -warmup; round < rounds; round++) {
        const keep = keepIn(round);
        const steps = [...(c.tools ? ['backup', 'fetch', 'scan', 'scan-noop'] : ['backup', 'fetch']), ...baselines.map((_, b) => `backup@${b}`)];
        for (const step of round % 2 ? steps.reverse() : steps) {
          const t = performance.now();
          const base = /^backup@(\d+)$/.exec(step);
          if (base) {
            const b = Number(base[1]);
            const dir = path.join(work, `round-${round}-baseline-${b}`);
            keep((baseBackups[b] ??= []), await runChild(['backup', c.source, dir, String(first), String(end), String(concurrency)], {}, baselines[b]));
            await rm(dir, { recursive: true, force: true });
          } else if (step === 'backup') {
            const dir = path.join(work, `round-${round}`);
            keep(backups, await runChild(['backup', c.source, dir, String(first), String(end), String(concurrency)]));
            await rm(dir, { recursive: true, force: true });
          } else if (step === 'fetch') keep(fetches, await plainFetch(c.source, plainQueries(manifest), { concurrency, withZstd: round === 0 }));
          else if (step === 'scan') keep(scans, await scanPeer(c.tools!, metrics, first, end));
          else keep(scanStartups, await scanNoop(c.tools!, metrics[0]!));
          process.stderr.write(`bench: ${roundName(round)}: ${step} ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
        }
      }
      const backupRate = (i: number): number => backups[i]!.points! / backups[i]!.seconds!;
      const points = w.points!;

      // Restore against `tsdb import` of the same points, A B B A, each into a target emptied of the range.
      const restores: Record<string, number>[] = [];
      const imports: PeerRun[] = [];
      const importStartups: number[] = [];
      if (c.tools) {
        const textFile = path.join(work, 'import.txt');
        const lines = await exportImportText(repoDir, String(w.id), textFile);
        await assignNames(c.target, namesOf(shape));
        let targetHoldsImport = false;
        for (let round = -warmup; round < rounds; round++) {
          const keep = keepIn(round);
          const steps = ['restore', 'import', 'import-noop', ...baselines.map((_, b) => `restore@${b}`)];
          for (const step of round % 2 ? steps.reverse() : steps) {
            if (step === 'import-noop') {
              const noop = await importNoop(c.tools, path.join(work, 'empty.txt'));
              keep(importStartups, noop);
              process.stderr.write(`bench: ${roundName(round)}: ${step} ${noop.toFixed(1)} s\n`);
              continue;
            }
            await clearTarget(c.target, metrics, first, end);
            const t = performance.now();
            let wrote: number;
            const base = /^restore@(\d+)$/.exec(step);
            if (base) {
              const b = Number(base[1]);
              const r = await runChild(['restore', c.target, repoDir, '0', '0', String(concurrency)], {}, baselines[b]);
              keep((baseRestores[b] ??= []), r);
              wrote = r.written!;
            } else if (step === 'restore') {
              const r = await runChild(['restore', c.target, repoDir, '0', '0', String(concurrency)]);
              keep(restores, r);
              wrote = r.written!;
            } else {
              keep(imports, await importPeer(c.tools, textFile, lines));
              wrote = lines;
            }
            process.stderr.write(`bench: ${roundName(round)}: ${step} ${((performance.now() - t) / 1000).toFixed(1)} s (run, not the target's emptying)\n`);
            targetHoldsImport = step === 'import';
            if (base && wrote !== points) peerNotes.push(`${roundName(round)}: ${step} wrote ${wrote} points, not ${points}`);
            const held = await countPoints(c.target, metrics, first, end);
            if (held !== wrote) peerNotes.push(`${roundName(round)}: after ${step} the target held ${held} points, not ${wrote}`);
          }
        }
        // the S3 restore below compares with the target: leave it tsdb-backup's exact points, not the importer's floats
        if (targetHoldsImport) {
          await clearTarget(c.target, metrics, first, end);
          await runChild(['restore', c.target, repoDir, '0', '0', String(concurrency)]);
        }
        const scanned = scans.map((s) => s.points);
        if (scanned.some((n) => n !== points)) peerNotes.push(`scan printed ${scanned.join(', ')} lines, the backup holds ${points} points`);
      } else {
        restores.push(await runChild(['restore', c.target, repoDir, '0', '0', String(concurrency)]));
      }
      const restoreRate = (i: number): number => restores[i]!.written! / restores[i]!.seconds!;
      for (const [b, dir] of baselines.entries()) {
        const bb = baseBackups[b] ?? [];
        const br = baseRestores[b] ?? [];
        for (const x of bb) if (x.points !== points) peerNotes.push(`baseline ${dir} backed up ${x.points} points, not ${points}`);
        baselineRows.push([
          String(points),
          dir,
          bb.length ? minMedian(bb.map((x, i) => backupRate(i) / (x.points! / x.seconds!))) : '-',
          br.length && restores.length === br.length ? minMedian(br.map((x, i) => restoreRate(i) / (x.written! / x.seconds!))) : '-',
          bb.length ? Math.round(median(bb.map((x) => x.points! / x.seconds!))).toString() : '-',
          br.length ? Math.round(median(br.map((x) => x.written! / x.seconds!))).toString() : '-',
        ]);
      }

      const ratios = (f: (i: number) => number, n: number): string => (n > 0 ? minMedian(Array.from({ length: n }, (_, i) => f(i))) : '-');
      const scanStartup = (i: number): number => scanStartups[i] ?? 0;
      const importStartup = (i: number): number => importStartups[i] ?? 0;
      peerRows.push([
        String(points),
        ratios((i) => backupRate(i) / (points / fetches[i]!.seconds), rounds),
        ratios((i) => backupRate(i) / (scans[i]!.points / scans[i]!.seconds), scans.length),
        ratios((i) => backupRate(i) / (scans[i]!.points / (scans[i]!.seconds - scanStartup(i))), scans.length),
        scans.length ? rate(median(scans.map((s) => s.points)), median(scans.map((s) => s.seconds))) : '-',
        scans.length ? median(scanStartups).toFixed(1) : '-',
        ratios((i) => restoreRate(i) / (imports[i]!.points / imports[i]!.seconds), imports.length),
        ratios((i) => restoreRate(i) / (imports[i]!.points / (imports[i]!.seconds - importStartup(i))), imports.length),
        imports.length ? rate(median(imports.map((s) => s.points)), median(imports.map((s) => s.seconds))) : '-',
        imports.length ? median(importStartups).toFixed(1) : '-',
      ]);

      if (k === 0) {
        const level = DEFAULT_ZSTD_LEVEL;
        const kinds = encodingBreakdown(total, [level]).get(level)!;
        for (const r of kinds)
          kindRows.push([
            String(points),
            r.metric,
            String(r.points),
            r.bytesPerPoint.toFixed(3),
            r.timestampBytesPerPoint.toFixed(3),
            r.deltaEntropyBytesPerPoint?.toFixed(3) ?? '-',
          ]);
        kindRows.push([String(points), 'all', String(kinds.reduce((a, r) => a + r.points, 0)), overallBytesPerPoint(kinds).toFixed(3), '', '']);
        const noDoubles = kinds.filter((r) => r.metric !== 'app.latency.p99');
        kindRows.push([
          String(points),
          'all but the doubles',
          String(noDoubles.reduce((a, r) => a + r.points, 0)),
          overallBytesPerPoint(noDoubles).toFixed(3),
          '',
          '',
        ]);
      }

      // One more hour of data, then an incremental chained to the full backup.
      const b = { points, seconds: median(backups.map((x) => x.seconds!)) };
      const hour = { ...shape, start: start + shape.pointsPerSeries * shape.intervalMs, pointsPerSeries: 360 };
      await seed(c.source, hour, 7);
      const incrEnd = hour.start + 360 * shape.intervalMs + 1000;
      const inc = await runChild(['incremental', c.source, repoDir, '0', String(incrEnd), String(concurrency)]);
      incrementalRows.push([
        String(b.points),
        b.seconds.toFixed(1),
        String(inc.points),
        inc.seconds!.toFixed(1),
        ((100 * inc.points!) / b.points).toFixed(1),
        String(inc.queries),
      ]);

      const restoreMedian = median(restores.map((r) => r.written! / r.seconds!));
      const rssBackup = maxOf(backups.map((x) => x.maxRssMb!));
      const rssRestore = maxOf(restores.map((x) => x.maxRssMb!));
      if (c.s3 && total <= Number(values['s3-points'])) {
        const s3Repo = `s3://${c.s3.bucket}/bench-${Date.now()}`;
        const env = { BENCH_S3_ENDPOINT: c.s3.endpoint };
        const sb = await runChild(['backup', c.source, s3Repo, String(first), String(end), String(concurrency)], env);
        const sr = await runChild(['restore', c.target, s3Repo, '0', '0', String(concurrency)], env);
        s3Rows.push([
          String(sb.points),
          `${rate(b.points, b.seconds)} / ${rate(sb.points!, sb.seconds!)}`,
          `${Math.round(restoreMedian)} / ${rate(sr.written!, sr.seconds!)}`,
          `${rssBackup.toFixed(0)} / ${sb.maxRssMb!.toFixed(0)}`,
          `${rssRestore.toFixed(0)} / ${sr.maxRssMb!.toFixed(0)}`,
        ]);
      }
      rows.push([
        String(points),
        (w.bytes! / points).toFixed(3),
        (fetches[0]!.zstd3 / w.bytes!).toFixed(2),
        Math.round(median(backups.map((x) => x.points! / x.seconds!))).toString(),
        Math.round(restoreMedian).toString(),
        `${(100 * median(restores.map((r) => r.checkSeconds! / r.seconds!))).toFixed(1)}%`,
        String(restores.reduce((a, r) => a + r.failed!, 0)),
        rssBackup.toFixed(0),
        rssRestore.toFixed(0),
      ]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
} finally {
  await c.stop();
}
function table(title: string, header: string[], body: string[][], notes: string[] = []): void {
  if (body.length === 0) return;
  console.log(`\n${title}`);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  for (const line of [header, ...body]) console.log(line.map((x, i) => x.padStart(widths[i]!)).join('  '));
  for (const n of notes) console.log(`  ${n}`);
}
console.log(`TSD: ${c.kind}, concurrency ${concurrency}, ${rounds} round(s), dataset: see bench/bench-dataset.ts`);
table(
  'full backup and restore, local repository (medians over the rounds; RSS: the highest)',
  ['points', 'bytes/point', 'zstd3-json/repo', 'backup pts/s', 'restore pts/s', 'target check', 'restore failed', 'backup RSS MB', 'restore RSS MB'],
  rows,
);
table(
  `peers: speed of tsdb-backup / speed of the peer, min / median of ${rounds} interleaved round(s)`,
  [
    'points',
    'backup/fetch',
    'backup/scan',
    'backup/scan-work',
    'scan pts/s',
    'scan startup s',
    'restore/import',
    'restore/import-work',
    'import pts/s',
    'import startup s',
  ],
  peerRows,
  [
    "fetch: the backup's queries fetched at the same concurrency, bodies discarded. scan: `tsdb scan --import` of the same range, every metric in one JVM (reads HBase directly).",
    'import: `tsdb import` of the backup exported as import text (all points: this dataset has no value outside the 4-byte float range; the importer stores every float as a 4-byte float,',
    'so it is a speed baseline, not a lossless one) into the default-config target; each restore and import goes into a target emptied of the range, its names created beforehand.',
    "Peer times are whole JVM runs; -work subtracts the startup column (a no-op run of the same tool in the same round); tsdb-backup's times exclude node's start-up.",
    ...(c.tools ? [] : ['(scan and import need the real harness: not run)']),
    ...peerNotes.map((n) => `WARNING: ${n}`),
  ],
);
table(
  `bytes per point by value kind (zstd ${DEFAULT_ZSTD_LEVEL}, chunks of ~100k points as the backup makes them; bench/encoding-breakdown.ts)`,
  ['points', 'metric (kind)', 'kind points', 'bytes/point', 'timestamps alone', 'entropy of differences'],
  kindRows,
  [
    "entropy of differences: the order-0 entropy of each series' timestamp and value differences (bench/delta-entropy.ts), what a coder of differences can reach; none for floats (random mantissas).",
    'sys.cpu.user: gauge 1 decimal; sys.mem.used_pct: gauge 2 decimals; net.bytes.in: counter; disk.ops.total: 64-bit counter; app.latency.p99: full-precision double; sensor.temperature: 4-byte float',
  ],
);
table(
  `this build / each baseline: speed ratio, min / median of ${rounds} interleaved round(s) (same round against same round)`,
  ['points', 'baseline', 'backup', 'restore', 'baseline backup pts/s', 'baseline restore pts/s'],
  baselineRows,
);
table(
  'incremental after one more hour of data (1 h overlap)',
  ['full points', 'full s', 'incremental points', 'incremental s', '% of full', 'queries'],
  incrementalRows,
);
table(`local / S3 repository (${c.s3?.kind ?? 'none'})`, ['points', 'backup pts/s', 'restore pts/s', 'backup RSS MB', 'restore RSS MB'], s3Rows);
