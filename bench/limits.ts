// How closely the rate limits hold: backups and restores against the real OpenTSDB harness with
// --limit-points, --limit-bytes, --limit-upload (a local repository) and --limit-download, each limit set
// so that a run lasts about --seconds. A first unlimited-in-effect run of each command measures the
// amounts; every case then runs in --rounds interleaved rounds (the order reverses every round). Prints,
// per case, the limit, the achieved rate (the amount the run counted over the command's whole wall time,
// process start-up included) and its ratio to the limit (min / median), and the ratio the CLI itself
// reports (over the limited phase). The goal: within 5% of the limit, never above it.
// npm run build && npm run bench:limits [-- --points 200000 --seconds 20 --rounds 3 --base-port 17242]
// (--source URL --target URL: your own TSDs, e.g. a running sandbox, instead of a new harness)

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startHarness } from '../test/e2e/harness/harness.js';
import { BENCH_METRICS } from './bench-dataset.js';
import { seedBenchMix } from './bench-seed.js';
import { median } from './opentsdb-peers.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '200000' },
    seconds: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    'base-port': { type: 'string', default: '17242' },
    source: { type: 'string' },
    target: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const bin = path.join(import.meta.dirname, '../bin/tsdb-backup.js');

interface LimitJson {
  option: string;
  tsd?: string;
  perSecond: number;
  amount: number;
  achievedPerSecond: number;
}

/** Runs the built CLI in its own process; returns its summary and its wall time. */
function run(args: string[]): Promise<{ summary: Record<string, unknown>; seconds: number }> {
  const began = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      const wall = (performance.now() - began) / 1000;
      if (code !== 0) return reject(new Error(`tsdb-backup ${args[0]} exited ${code}`));
      const summary = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((j) => j.type === 'summary')!;
      resolve({ summary, seconds: wall });
    });
  });
}

const limitOf = (summary: Record<string, unknown>, option: string): LimitJson => {
  const l = (summary.limits as LimitJson[] | undefined)?.find((x) => x.option === option);
  if (!l) throw new Error(`no ${option} in the summary ${JSON.stringify(summary)}`);
  return l;
};

const h =
  values.source && values.target
    ? { sourceUrl: values.source, targetUrl: values.target, stop: async () => undefined }
    : await startHarness({ basePort: Number(values['base-port']), hbaseHeapMb: 4096, tsdHeapMb: 1024, log: (l) => process.stderr.write(`harness: ${l}\n`) });
const work = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-bench-limits-'));
try {
  const { start, end } = await seedBenchMix(h.sourceUrl, Number(values.points));
  let repos = 0;
  const freshRepo = async (): Promise<string> => {
    const repo = path.join(work, `repo-${++repos}`);
    await run(['init', '--repo', repo, '--insecure-no-encryption']);
    return repo;
  };
  // A new place for every invocation too: a target that a run before this one restored into (a reused
  // sandbox) would make the check before writing read those points, counted against --limit-bytes.
  let shiftDays = 30 * Math.floor(Math.random() * 100);
  const selection = BENCH_METRICS.flatMap((m) => ['--metric', m]);
  const backupArgs = async (): Promise<string[]> => [
    'full',
    '--source',
    h.sourceUrl,
    '--repo',
    await freshRepo(),
    ...selection,
    '--start',
    String(start - 1000),
    '--end',
    String(end),
  ];
  // Every restore goes into an empty range of the target: the data moved by a new number of 30-day steps.
  const restoreArgs = (repo: string): string[] => ['restore', '--repo', repo, '--target', h.targetUrl, '--shift', `+${(shiftDays += 30)}d`];

  // The amounts each command counts, measured under limits too high to hold it back.
  const huge = ['--limit-points', '1G', '--limit-bytes', '1TB'];
  const probeBackup = await run([...(await backupArgs()), ...huge, '--limit-upload', '1TB']);
  const repo = String(path.join(work, `repo-${repos}`));
  const probeRestore = await run([...restoreArgs(repo), ...huge, '--limit-download', '1TB']);
  process.stderr.write(`bench: unlimited: backup ${probeBackup.seconds.toFixed(1)} s, restore ${probeRestore.seconds.toFixed(1)} s\n`);
  // A limit must hold the run back: it lasts --seconds, and at least twice as long as without a limit.
  const rateFor = (probe: { summary: Record<string, unknown>; seconds: number }, option: string): number =>
    Math.max(1, Math.floor(limitOf(probe.summary, option).amount / Math.max(seconds, 2 * probe.seconds)));

  const cases: Array<{ name: string; option: string; limit: number; args: () => Promise<string[]> }> = [
    { name: 'backup --limit-points', option: '--limit-points', limit: rateFor(probeBackup, '--limit-points'), args: backupArgs },
    { name: 'backup --limit-bytes', option: '--limit-bytes', limit: rateFor(probeBackup, '--limit-bytes'), args: backupArgs },
    { name: 'backup --limit-upload (local)', option: '--limit-upload', limit: rateFor(probeBackup, '--limit-upload'), args: backupArgs },
    { name: 'restore --limit-points', option: '--limit-points', limit: rateFor(probeRestore, '--limit-points'), args: async () => restoreArgs(repo) },
    { name: 'restore --limit-bytes', option: '--limit-bytes', limit: rateFor(probeRestore, '--limit-bytes'), args: async () => restoreArgs(repo) },
    {
      name: 'restore --limit-download (local)',
      option: '--limit-download',
      limit: rateFor(probeRestore, '--limit-download'),
      args: async () => restoreArgs(repo),
    },
  ];
  const results = new Map<string, Array<{ achieved: number; reported: number }>>(cases.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const c of round % 2 === 0 ? cases : [...cases].reverse()) {
      const r = await run([...(await c.args()), c.option, String(c.limit)]);
      const l = limitOf(r.summary, c.option);
      const achieved = l.amount / r.seconds;
      results.get(c.name)!.push({ achieved, reported: l.achievedPerSecond });
      process.stderr.write(
        `bench: round ${round + 1}: ${c.name} ${c.limit}/s: ${l.amount} in ${r.seconds.toFixed(2)} s = ${achieved.toFixed(0)}/s (${(achieved / c.limit).toFixed(3)})\n`,
      );
    }
  }
  console.log(`\nrate limits, ${Number(values.points)} points, runs of ~${seconds} s, ${rounds} interleaved rounds (min / median)`);
  console.log('case'.padEnd(34), 'limit/s'.padStart(11), 'achieved/s (wall)'.padStart(22), 'ratio (wall)'.padStart(15), 'ratio (CLI)'.padStart(15));
  for (const c of cases) {
    const rs = results.get(c.name)!;
    const mm = (xs: number[], d: number): string => `${Math.min(...xs).toFixed(d)} / ${median(xs).toFixed(d)}`;
    console.log(
      c.name.padEnd(34),
      String(c.limit).padStart(11),
      mm(
        rs.map((r) => r.achieved),
        0,
      ).padStart(22),
      mm(
        rs.map((r) => r.achieved / c.limit),
        3,
      ).padStart(15),
      mm(
        rs.map((r) => r.reported / c.limit),
        3,
      ).padStart(15),
    );
  }
} finally {
  await rm(work, { recursive: true, force: true });
  await h.stop();
}
