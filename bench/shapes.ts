// npm run bench:shapes [-- --points 1000000] [--rounds 3] [--concurrency 4] [--source URL --no-seed]
//                      [--baseline DIR] [--trace] [--hold] [--only dense,small,wide,one] [--base-port 15242] [--no-uid-meta]
// Issue 12: a full backup of a cluster of many small metrics, and of one metric with very many series,
// should run at no less than 0.8x the points/s of the dense bench mix: the per-metric and per-query
// overhead must not dominate. Starts the real harness (--base-port, default 15242) unless --source is given, seeds
// four datasets (one of them a single metric of 100 series over a day, read window after window) of about --points points each into distinct time ranges of the source (shape-datasets.ts),
// takes one untimed warm-up backup of each (the TSD compacts rows on their first read), then runs
// --rounds interleaved rounds (A B C, C B A, ...), each a full backup of one dataset alone (its metrics
// and its range) in a child process (measure-child.ts). Prints points/s, queries and the ratio to dense
// (min / median over the rounds). --baseline DIR runs DIR's copy of tsdb-backup in the same rounds
// (before/after a change, same TSD and data); --trace backs each dataset up once more through a logging
// proxy and prints its requests by kind; --hold keeps the harness running until the process is stopped;
// --no-uid-meta backs up without the UID metadata requests (one per distinct UID), as `backup --no-uid-meta`.
// The TSD's floor: in the same rounds, a "plain fetch" of each dataset (plain-fetch.ts) sends the raw
// queries that read the warm-up backup's pieces (whole metrics 64 per request, as the backup batches small
// metrics; a wide metric's series partitions as the backup split them), JSON.parse only, no count query, at
// the backup's concurrency. The backup's ratio to it says how much of the gap to dense is the client's.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seedPoints } from './bench-seed.js';
import { median, minMedian } from './opentsdb-peers.js';
import { plainFetch, plainQueries, type PlainQuery } from './plain-fetch.js';
import { startTraceProxy } from './request-trace.js';
import { Repository } from '../src/repository/repository.js';
import { LocalStorage } from '../src/storage/local-storage.js';
import { runChild } from './run-child.js';
import { shapeDatasets, type ShapeDataset } from './shape-datasets.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
    source: { type: 'string' },
    'no-seed': { type: 'boolean', default: false },
    baseline: { type: 'string' },
    trace: { type: 'boolean', default: false },
    hold: { type: 'boolean', default: false },
    only: { type: 'string' },
    'base-port': { type: 'string', default: '15242' },
    'no-uid-meta': { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const concurrency = String(Number(values.concurrency));
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, not ${values.rounds}`);
const basePort = Number(values['base-port']);
if (!Number.isInteger(basePort) || basePort < 1024) throw new Error(`--base-port must be a port number, not ${values['base-port']}`);
const log = (l: string): void => void process.stderr.write(`shapes: ${l}\n`);

async function source(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (values.source) return { url: values.source, stop: async () => undefined };
  const { startHarness } = await import('../test/e2e/harness/harness.js');
  const h = await startHarness({ basePort, hbaseHeapMb: 4096, tsdHeapMb: 2048, log: (l) => process.stderr.write(`harness: ${l}\n`) });
  return { url: h.sourceUrl, stop: () => h.stop() };
}

const all = shapeDatasets(Number(values.points), Date.UTC(2024, 0, 1));
const datasets = values.only ? all.filter((d) => values.only!.split(',').some((o) => o === d.key || o === d.name)) : all;
const src = await source();
const work = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-shapes-'));
const stop = async (): Promise<void> => {
  await rm(work, { recursive: true, force: true });
  await src.stop();
};
process.once('SIGTERM', () => void stop().then(() => process.exit(143)));
process.once('SIGINT', () => void stop().then(() => process.exit(130)));

let dir = 0;
/** Whole metrics per request of the floor, as the backup's first windows batch them at most (first-windows.ts). */
const FLOOR_BATCH = 64;

/** `queries`: the raw queries that read the backup's pieces, for the floor. */
async function backupOf(d: ShapeDataset, url: string, codeDir?: string, queries?: (q: PlainQuery[]) => void): Promise<Record<string, number>> {
  const repo = path.join(work, `repo-${dir++}`);
  try {
    const r = await runChild(
      ['backup', url, repo, String(d.first), String(d.end), concurrency],
      { BENCH_METRICS: d.metrics.join(','), ...(values['no-uid-meta'] ? { BENCH_UID_META: 'false' } : {}) },
      codeDir,
    );
    if (queries) queries(plainQueries(await (await Repository.open(new LocalStorage(repo))).readManifest(String(r.id)), FLOOR_BATCH));
    return r;
  } finally {
    await rm(repo, { recursive: true, force: true });
  }
}

try {
  if (!values['no-seed']) {
    for (const d of datasets) {
      const t0 = performance.now();
      const { written } = await seedPoints(src.url, d.points());
      log(`seeded ${d.name}: ${written} points in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  const expected = new Map<string, number>();
  const floorQueries = new Map<string, PlainQuery[]>();
  for (const d of datasets) {
    const w = await backupOf(d, src.url, undefined, (q) => floorQueries.set(d.name, q));
    expected.set(d.name, w.points!);
    log(`warm-up ${d.name}: ${w.points} points, ${w.queries} queries, ${w.seconds!.toFixed(1)} s; floor: ${floorQueries.get(d.name)!.length} queries`);
  }

  const variants = values.baseline
    ? [
        { label: 'baseline', codeDir: path.resolve(values.baseline) },
        { label: 'this', codeDir: undefined },
      ]
    : [{ label: 'this', codeDir: undefined }];
  type Run = Record<string, number>;
  const runs = new Map<string, Run[]>();
  const floors = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    const steps = [...variants, { label: 'floor', codeDir: undefined }].flatMap((v) => datasets.map((d) => ({ v, d })));
    for (const { v, d } of round % 2 ? steps.reverse() : steps) {
      if (v.label === 'floor') {
        const f = await plainFetch(src.url, floorQueries.get(d.name)!, { concurrency: Number(concurrency), parse: true });
        // a floor that misses points would flatter the TSD
        if (f.points !== expected.get(d.name)) throw new Error(`floor ${d.name}: ${f.points} points, the warm-up read ${expected.get(d.name)}`);
        floors.set(d.name, [...(floors.get(d.name) ?? []), f.points / f.seconds]);
        log(`round ${round + 1}/${rounds}: floor ${d.name} ${f.seconds.toFixed(1)} s, ${Math.round(f.points / f.seconds)} points/s, ${f.queries} queries`);
        continue;
      }
      const r = await backupOf(d, src.url, v.codeDir);
      // each backup must read its dataset, all of it, and nothing else
      if (r.points !== expected.get(d.name)) throw new Error(`${v.label} ${d.name}: ${r.points} points, the warm-up read ${expected.get(d.name)}`);
      const key = `${v.label}|${d.name}`;
      runs.set(key, [...(runs.get(key) ?? []), r]);
      log(
        `round ${round + 1}/${rounds}: ${v.label} ${d.name} ${r.seconds!.toFixed(1)} s, ${Math.round(r.points! / r.seconds!)} points/s, ${r.queries} queries`,
      );
    }
  }

  const rate = (r: Run): number => r.points! / r.seconds!;
  const rows = [
    [
      'code',
      'dataset',
      'points',
      'series',
      'queries',
      'points/s (median)',
      'cpu s (median)',
      'peak RSS MB',
      'ratio to dense (min / median)',
      'ratio to floor (min / median)',
    ],
  ];
  for (const v of variants) {
    const dense = runs.get(`${v.label}|${datasets[0]!.name}`)!;
    for (const d of datasets) {
      const rs = runs.get(`${v.label}|${d.name}`)!;
      rows.push([
        v.label,
        d.name,
        String(rs[0]!.points),
        String(rs[0]!.series),
        String(rs[0]!.queries),
        String(Math.round(median(rs.map(rate)))),
        median(rs.map((r) => r.cpuSeconds!)).toFixed(1),
        String(Math.round(Math.max(...rs.map((r) => r.maxRssMb!)))),
        minMedian(rs.map((r, i) => rate(r) / rate(dense[i]!))),
        minMedian(rs.map((r, i) => rate(r) / floors.get(d.name)![i]!)),
      ]);
    }
  }
  // The floor's own ratio to the dense floor: what share of dense's speed the TSD allows the shape at all.
  const denseFloor = floors.get(datasets[0]!.name)!;
  for (const d of datasets) {
    const fs = floors.get(d.name)!;
    rows.push([
      'floor',
      d.name,
      String(expected.get(d.name)),
      '',
      String(floorQueries.get(d.name)!.length),
      String(Math.round(median(fs))),
      '',
      '',
      minMedian(fs.map((f, i) => f / denseFloor[i]!)),
      '',
    ]);
  }
  if (values.baseline) {
    for (const d of datasets) {
      const before = runs.get(`baseline|${d.name}`)!;
      const after = runs.get(`this|${d.name}`)!;
      rows.push(['this/baseline', d.name, '', '', '', '', '', '', minMedian(after.map((r, i) => rate(r) / rate(before[i]!))), '']);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`);

  if (values.trace) {
    const proxy = await startTraceProxy(src.url);
    try {
      for (const d of datasets) {
        proxy.reset();
        const r = await backupOf(d, proxy.url);
        process.stdout.write(`\n${d.name} through the proxy: ${r.seconds!.toFixed(1)} s, ${r.queries} queries, client CPU ${r.cpuSeconds!.toFixed(1)} s\n`);
        for (const row of proxy.rows())
          process.stdout.write(
            `  ${row.kind.padEnd(32)} ${String(row.requests).padStart(7)} requests  ${row.seconds.toFixed(1).padStart(7)} s summed  ${(row.bytes / 1e6).toFixed(1).padStart(7)} MB\n`,
          );
      }
    } finally {
      await proxy.close();
    }
  }
  if (values.hold) {
    log(`holding: source ${src.url}; stop this process (pid ${process.pid}) to stop the harness`);
    await new Promise(() => undefined);
  }
} finally {
  if (!values.hold) await stop();
}
