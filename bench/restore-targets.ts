// How much a target TSD's request settings cap a restore: the same backup (the benchmark mix, 1M points by
// default) restored into the harness's default-config target (no chunked requests: bodies of at most 8 KiB,
// so gzip is what packs ~1,000 points into each) and into its source TSD, which accepts chunked requests up
// to 1 MiB, with and without gzip; and into the default target with more puts in flight. Each restore goes into an empty range (a time shift per run), in --rounds
// interleaved rounds (the order reverses every round); prints points/s, requests and client CPU per setting
// (min / median) and the ratios to the default target. The restore's preflight quotes this in its hint.
// npm run bench:restore-targets [-- --points 1000000 --rounds 3 --only 1,2]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startHarness } from '../test/e2e/harness/harness.js';
import { seedBenchMix } from './bench-seed.js';
import { median } from './opentsdb-peers.js';
import { runChild } from './run-child.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    'base-port': { type: 'string', default: '17242' },
    only: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const h = await startHarness({
  basePort: Number(values['base-port']),
  hbaseHeapMb: 4096,
  tsdHeapMb: 2048,
  log: (l) => process.stderr.write(`harness: ${l}\n`),
});
const work = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-restore-targets-'));
try {
  const { shape, start, end } = await seedBenchMix(h.sourceUrl, Number(values.points));
  const repo = path.join(work, 'repo');
  const b = await runChild(['backup', h.sourceUrl, repo, String(start - 1000), String(end), '4']);
  process.stderr.write(`bench: backed up ${b.points} points\n`);
  const settings: Array<{ name: string; url: string; gzip: boolean; putConcurrency?: number }> = [
    { name: 'default target (8 KiB bodies), gzip', url: h.targetUrl, gzip: true },
    { name: 'default target, 64 puts in flight', url: h.targetUrl, gzip: true, putConcurrency: 64 },
    { name: 'chunked 1 MiB bodies, gzip', url: h.sourceUrl, gzip: true },
    { name: 'chunked 1 MiB bodies, no gzip', url: h.sourceUrl, gzip: false },
  ];
  // --only 1,2: the settings to run, by their place in the table (1 = the default target, always the baseline).
  const chosen = values.only
    ? settings.filter(
        (_, i) =>
          i === 0 ||
          values
            .only!.split(',')
            .map(Number)
            .includes(i + 1),
      )
    : settings;
  settings.splice(0, settings.length, ...chosen);
  const runs = new Map<string, Array<Record<string, number>>>(settings.map((s) => [s.name, []]));
  let shiftDays = 0;
  for (let round = 0; round < rounds; round++) {
    for (const s of round % 2 === 0 ? settings : [...settings].reverse()) {
      // An empty range of the target every time: the data moved by a new number of 30-day steps.
      shiftDays += 30;
      const r = await runChild(['restore', s.url, repo, '0', '0', '4'], {
        BENCH_GZIP: String(s.gzip),
        BENCH_SHIFT_MS: String(shiftDays * 86_400_000),
        ...(s.putConcurrency ? { BENCH_PUT_CONCURRENCY: String(s.putConcurrency) } : {}),
      });
      if (r.failed !== 0 || r.written !== b.points) throw new Error(`${s.name}: wrote ${r.written} of ${b.points} points, ${r.failed} failed`);
      process.stderr.write(`bench: round ${round + 1}: ${s.name}: ${r.seconds!.toFixed(1)} s, ${r.requests} requests\n`);
      runs.get(s.name)!.push(r);
    }
  }
  const base = runs.get(settings[0]!.name)!;
  console.log(`\nrestore of ${b.points} points, ${rounds} interleaved rounds (min / median)`);
  console.log('setting'.padEnd(36), 'points/s'.padStart(18), 'requests'.padStart(9), 'client CPU s'.padStart(14), 'speed vs default'.padStart(18));
  for (const s of settings) {
    const rs = runs.get(s.name)!;
    const rates = rs.map((r) => r.written! / r.seconds!);
    const ratios = rs.map((r, i) => r.written! / r.seconds! / (base[i]!.written! / base[i]!.seconds!));
    const mm = (xs: number[], d = 0): string => `${Math.min(...xs).toFixed(d)} / ${median(xs).toFixed(d)}`;
    console.log(
      s.name.padEnd(36),
      mm(rates).padStart(18),
      String(median(rs.map((r) => r.requests!))).padStart(9),
      mm(
        rs.map((r) => r.cpuSeconds!),
        1,
      ).padStart(14),
      mm(ratios, 2).padStart(18),
    );
  }
} finally {
  await rm(work, { recursive: true, force: true });
  await h.stop();
}
