// node --import tsx bench/startup.ts [--rounds 5] [--code DIR ...]
// The start-up cost of the CLI (issue 12): CPU seconds (user+sys) of `--version` and of a no-op
// incremental of a local repository (a full of a fake TSD taken just before, nothing new since). Each
// --code is a directory holding bin/ and dist/ (another build, e.g. the code before a change); the runs
// of all of them are interleaved, round by round, and the min and median of each are printed, and of
// each one's per-round ratio to the first.

import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeTsd } from '../test/support/fake-tsd/index.js';
import { putPoints } from '../test/support/put-points.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, code: { type: 'string', multiple: true } } });
const codes = (values.code ?? [path.resolve(import.meta.dirname, '..')]).map((c) => path.resolve(c));

/** Runs a CLI and returns its CPU seconds as /usr/bin/time reports them (user+sys of the child). */
function cpuOf(code: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%U %S', path.join(code, 'bin/tsdb-backup.js'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (status) => {
      const last = stderr.trim().split('\n').at(-1) ?? '';
      const m = /^(\d+\.\d+) (\d+\.\d+)$/.exec(last);
      if (status !== 0 || !m) return reject(new Error(`${args.join(' ')} exited ${status}: ${stderr}`));
      resolve(Number(m[1]) + Number(m[2]));
    });
  });
}

const stats = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0]!.toFixed(2)} median ${s[Math.floor(s.length / 2)]!.toFixed(2)} (${xs.map((x) => x.toFixed(2)).join(' ')})`;
};

const tsd = await startFakeTsd({ autoCreateMetrics: true });
const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-startup-'));
try {
  const now = Date.now();
  const HOUR = 3_600_000;
  const start = Math.floor((now - 6 * HOUR) / HOUR) * HOUR;
  const points = ['sys.cpu.user', 'sys.mem.free', 'app.requests'].flatMap((metric) =>
    ['a', 'b', 'c'].flatMap((host) =>
      Array.from({ length: 360 }, (_, i) => ({ metric, tags: { host }, timestamp: start + i * 60_000, value: String(i % 97) })),
    ),
  );
  await putPoints(tsd.url, points, { concurrency: 4 });
  // The base repository: init, a full and one incremental (a chain of two), as a cron job leaves it.
  const base = path.join(dir, 'base');
  await cpuOf(codes[0]!, ['init', '--repo', base, '--insecure-no-encryption']);
  await cpuOf(codes[0]!, ['full', '--source', tsd.url, '--repo', base, '--start', String(start), '--quiet']);
  await cpuOf(codes[0]!, ['incremental', '--source', tsd.url, '--repo', base, '--quiet']);
  const rounds = Number(values.rounds);
  const results = codes.map(() => ({ version: [] as number[], incremental: [] as number[] }));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? codes.map((_, i) => i) : codes.map((_, i) => i).reverse();
    for (const i of order) {
      results[i]!.version.push(await cpuOf(codes[i]!, ['--version']));
      const repo = path.join(dir, `r${round}-${i}`);
      await cp(base, repo, { recursive: true });
      results[i]!.incremental.push(await cpuOf(codes[i]!, ['incremental', '--source', tsd.url, '--repo', repo, '--quiet']));
    }
  }
  codes.forEach((code, i) => {
    console.log(`${code}\n  --version          ${stats(results[i]!.version)}\n  no-op incremental  ${stats(results[i]!.incremental)}`);
    // Round by round against the first --code: the machine's load changes less within a round than across rounds.
    if (i > 0) {
      const ratios = (k: 'version' | 'incremental') => results[i]![k].map((x, r) => x / results[0]![k][r]!);
      console.log(
        `  ratio to ${codes[0]}, per round\n    --version          ${stats(ratios('version'))}\n    no-op incremental  ${stats(ratios('incremental'))}`,
      );
    }
  });
} finally {
  await tsd.close();
  await rm(dir, { recursive: true, force: true });
}
