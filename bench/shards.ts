// Throughput of a sharded backup: the same data backed up by 1, 2 and 4 shard processes at once
// (`full --shard i/n --set ...`, the built CLI as a Kubernetes Indexed Job runs it) from one real TSD into
// one local repository. The benchmark mix (bench-dataset.ts) is spread over 96 metrics (its 6 metrics x 16
// host groups), since shards split by metric. Rounds are interleaved (the order reverses every round); per
// setting it prints the wall time of the whole set (first start to last exit), points/s, the client CPU
// (all shard processes, from /usr/bin/time) and the CPU of the source TSD and HBase JVMs over the run
// (from /proc), min / median, after one untimed warm-up backup.
// npm run bench:shards [-- --points 1000000 --rounds 3 --shards 1,2,4 --base-port 17242]

import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startHarness } from '../test/e2e/harness/harness.js';
import { benchPoints, shapeFor, type BenchPoint } from './bench-dataset.js';
import { seedPoints } from './bench-seed.js';
import { median } from './opentsdb-peers.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    shards: { type: 'string', default: '1,2,4' },
    'base-port': { type: 'string', default: '17242' },
    concurrency: { type: 'string', default: '4' },
  },
});
const rounds = Number(values.rounds);
const settings = values.shards.split(',').map(Number);
const bin = path.resolve(import.meta.dirname, '../bin/tsdb-backup.js');
const TICKS = 100; // USER_HZ on Linux

function cli(args: string[], timeFile?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const cmd = timeFile ? ['/usr/bin/time', '-f', '%e %U %S', '-o', timeFile, process.execPath, bin, ...args] : [process.execPath, bin, ...args];
  return new Promise((resolve) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** CPU seconds used so far by the harness's JVMs (found by their work dir on the command line). */
function jvmCpu(workDir: string): { hbase: number; tsd: number } {
  const out = { hbase: 0, tsd: 0 };
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmdline: string;
    let stat: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes(workDir)) continue;
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / TICKS; // utime + stime
    if (cmdline.includes('HBaseStandalone')) out.hbase += cpu;
    else if (cmdline.includes('TSDMain') && cmdline.includes('source')) out.tsd += cpu;
  }
  return out;
}

/** The benchmark mix over 96 metrics: shards split by metric, and 6 metrics cannot be split 4 ways evenly. */
function* spread(points: Iterable<BenchPoint>): Generator<BenchPoint> {
  for (const p of points) yield { ...p, metric: `${p.metric}.g${Number(p.tags.host!.slice(4)) % 16}` };
}

const h = await startHarness({
  basePort: Number(values['base-port']),
  hbaseHeapMb: 4096,
  tsdHeapMb: 2048,
  log: (l) => process.stderr.write(`harness: ${l}\n`),
});
const work = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-bench-shards-'));
try {
  const start = Date.UTC(2025, 0, 1);
  const shape = shapeFor(Number(values.points), start);
  const end = start + shape.pointsPerSeries * shape.intervalMs + 1000;
  process.stderr.write(`bench: seeding ${shape.series} series x ${shape.pointsPerSeries} points over 96 metrics\n`);
  const { written } = await seedPoints(h.sourceUrl, spread(benchPoints(shape)));
  // One untimed backup first: the TSD compacts rows on their first read, which only the first run would pay.
  const warm = path.join(work, 'warm-up');
  await cli(['init', '--repo', warm, '--insecure-no-encryption']);
  const warmed = await cli(['full', '--source', h.sourceUrl, '--repo', warm, '--start', String(start - 1000), '--end', String(end), '--quiet']);
  if (warmed.code !== 0) throw new Error(`warm-up backup: ${warmed.stderr}`);
  await rm(warm, { recursive: true, force: true });
  const runs = new Map<number, Array<{ seconds: number; points: number; clientCpu: number; tsdCpu: number; hbaseCpu: number; perShard: number[] }>>(
    settings.map((n) => [n, []]),
  );
  for (let round = 0; round < rounds; round++) {
    for (const n of round % 2 === 0 ? settings : [...settings].reverse()) {
      const repo = path.join(work, `r${round}-n${n}`);
      const init = await cli(['init', '--repo', repo, '--insecure-no-encryption']);
      if (init.code !== 0) throw new Error(`init: ${init.stderr}`);
      const before = jvmCpu(h.workDir);
      const t0 = performance.now();
      const shards = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          cli(
            [
              'full',
              '--source',
              h.sourceUrl,
              '--repo',
              repo,
              '--start',
              String(start - 1000),
              '--end',
              String(end),
              '--concurrency',
              values.concurrency,
              '--shard',
              `${i}/${n}`,
              '--set',
              `bench-${round}-${n}`,
              '--json',
            ],
            path.join(work, `time-${round}-${n}-${i}`),
          ),
        ),
      );
      const seconds = (performance.now() - t0) / 1000;
      const after = jvmCpu(h.workDir);
      for (const s of shards) if (s.code !== 0) throw new Error(`shard exited ${s.code}: ${s.stderr}`);
      const summaries = shards.map((s) => JSON.parse(s.stdout.trim().split('\n').at(-1)!) as { points: number; set: { complete: boolean } });
      if (!summaries.some((s) => s.set.complete)) throw new Error(`set of ${n} shards did not complete`);
      const points = summaries.reduce((x, s) => x + s.points, 0);
      if (points !== written) throw new Error(`${n} shards backed up ${points} of ${written} points`);
      let clientCpu = 0;
      for (let i = 0; i < n; i++) {
        const [, user, sys] = (await readFile(path.join(work, `time-${round}-${n}-${i}`), 'utf8')).trim().split('\n').at(-1)!.split(' ').map(Number);
        clientCpu += user! + sys!;
      }
      const r = { seconds, points, clientCpu, tsdCpu: after.tsd - before.tsd, hbaseCpu: after.hbase - before.hbase, perShard: summaries.map((s) => s.points) };
      runs.get(n)!.push(r);
      process.stderr.write(
        `bench: round ${round + 1}: ${n} shard(s): ${seconds.toFixed(1)} s, client CPU ${clientCpu.toFixed(1)} s, TSD ${r.tsdCpu.toFixed(1)} s, HBase ${r.hbaseCpu.toFixed(1)} s, points per shard ${r.perShard.join('/')}\n`,
      );
      await rm(repo, { recursive: true, force: true });
    }
  }
  const mm = (xs: number[], d = 0): string => `${Math.min(...xs).toFixed(d)} / ${median(xs).toFixed(d)}`;
  console.log(
    `\nsharded full backup of ${written} points (96 metrics), --concurrency ${values.concurrency} per shard, ${rounds} interleaved rounds (min / median)`,
  );
  console.log(
    'shards'.padEnd(7),
    'wall s'.padStart(13),
    'points/s'.padStart(18),
    'client CPU s'.padStart(14),
    'TSD CPU s'.padStart(13),
    'HBase CPU s'.padStart(13),
    'speed vs 1'.padStart(13),
  );
  const base = runs.get(settings[0]!)!;
  for (const n of settings) {
    const rs = runs.get(n)!;
    console.log(
      String(n).padEnd(7),
      mm(
        rs.map((r) => r.seconds),
        1,
      ).padStart(13),
      mm(rs.map((r) => r.points / r.seconds)).padStart(18),
      mm(
        rs.map((r) => r.clientCpu),
        1,
      ).padStart(14),
      mm(
        rs.map((r) => r.tsdCpu),
        1,
      ).padStart(13),
      mm(
        rs.map((r) => r.hbaseCpu),
        1,
      ).padStart(13),
      mm(
        rs.map((r, i) => base[i]!.seconds / r.seconds),
        2,
      ).padStart(13),
    );
  }
} finally {
  await rm(work, { recursive: true, force: true });
  await h.stop();
}
