// What a killed and resumed restore costs: the benchmark mix (1M points by default) is backed up, restored
// once uninterrupted, then --kills times more, each killed with SIGKILL after a random delay within the
// uninterrupted run's duration and then resumed (`restore --resume`) until it succeeds. Every restore goes
// through a counting proxy into the harness's default-config target, each into an empty range (a time shift
// per trial), and is compared point by point with the source afterwards. Prints, per kill and in total, the
// points and put bytes sent (and all request + response bytes) by the killed + resumed runs against the
// uninterrupted run's.
// npm run bench:restore-resume [-- --points 1000000 --kills 10 --seed 1 --base-port 17242]

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { differences, snapshot, type ClusterSnapshot } from '../test/support/compare-clusters.js';
import { seededRandom } from '../test/support/flaky-proxy.js';
import { startHarness } from '../test/e2e/harness/harness.js';
import { benchPoints } from './bench-dataset.js';
import { seedBenchMix } from './bench-seed.js';
import { runChild } from './run-child.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    kills: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    'base-port': { type: 'string', default: '17242' },
  },
});
const bin = path.resolve(import.meta.dirname, '../bin/tsdb-backup.js');

interface Traffic {
  puts: number;
  points: number;
  putBytes: number;
  requestBytes: number;
  responseBytes: number;
}
const zero = (): Traffic => ({ puts: 0, points: 0, putBytes: 0, requestBytes: 0, responseBytes: 0 });

/** A proxy to the target that counts what the restore sends (points in put bodies, gzipped or not) and receives. */
async function countingProxy(target: string): Promise<{ url: string; traffic: Traffic; close(): Promise<void> }> {
  const up = new URL(target);
  const traffic = zero();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      traffic.requestBytes += body.length;
      if (req.url?.startsWith('/api/put')) {
        const raw = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
        traffic.puts++;
        traffic.putBytes += body.length;
        traffic.points += raw.toString('utf8').split('{"metric":').length - 1;
      }
      const forward = http.request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.on('data', (c: Buffer) => (traffic.responseBytes += c.length));
        r.pipe(res);
      });
      forward.on('error', () => req.socket.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    traffic,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Runs the CLI; kills it with SIGKILL after killAfterMs if given. Resolves with its exit code (null when killed) and seconds. */
function runCli(args: string[], killAfterMs?: number): Promise<{ code: number | null; seconds: number; stderr: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, seconds: (performance.now() - t0) / 1000, stderr });
    });
  });
}

function shifted(s: ClusterSnapshot, shiftMs: number): ClusterSnapshot {
  const out: ClusterSnapshot = new Map();
  for (const [k, pts] of s)
    out.set(
      k,
      pts.map((p) => {
        const eq = p.indexOf('=');
        return `${Number(p.slice(0, eq)) + shiftMs}${p.slice(eq)}`;
      }),
    );
  return out;
}

const h = await startHarness({
  basePort: Number(values['base-port']),
  hbaseHeapMb: 4096,
  tsdHeapMb: 2048,
  log: (l) => process.stderr.write(`harness: ${l}\n`),
});
const work = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-restore-resume-'));
const proxy = await countingProxy(h.targetUrl);
try {
  const { shape, start, end } = await seedBenchMix(h.sourceUrl, Number(values.points));
  const metrics = [...new Set(Array.from(benchPoints({ ...shape, pointsPerSeries: 1 }), (p) => p.metric))];
  const repo = path.join(work, 'repo');
  const b = await runChild(['backup', h.sourceUrl, repo, String(start - 1000), String(end), '4']);
  process.stderr.write(`bench: backed up ${b.points} points in ${b.chunks} chunks\n`);
  const source = await snapshot(h.sourceUrl, metrics, start - 1000, end);
  const day = 86_400_000;

  /** One restore (killed at killAfterMs, then resumed until it succeeds) into the range shifted by shiftDays. */
  const trial = async (shiftDays: number, killAfterMs?: number) => {
    const stateDir = path.join(work, `state-${shiftDays}`);
    const args = ['restore', '--repo', repo, '--target', proxy.url, '--shift', `${shiftDays}d`, '--state-dir', stateDir, '--quiet'];
    const before = { ...proxy.traffic };
    const t0 = performance.now();
    let runs = 0;
    let killed = false;
    let r = await runCli(args, killAfterMs);
    const firstRun = r.seconds;
    runs++;
    if (r.code === null) killed = true;
    while (r.code !== 0) {
      if (r.code !== null) throw new Error(`restore exited ${r.code}: ${r.stderr.slice(-2000)}`);
      r = await runCli([...args, '--resume']);
      runs++;
    }
    const seconds = (performance.now() - t0) / 1000;
    const t = Object.fromEntries(Object.entries(proxy.traffic).map(([k, v]) => [k, v - before[k as keyof Traffic]])) as unknown as Traffic;
    const diff = differences(shifted(source, shiftDays * day), await snapshot(h.targetUrl, metrics, start - 1000 + shiftDays * day, end + shiftDays * day));
    if (diff.length > 0) throw new Error(`the target differs from the source after the restore shifted by ${shiftDays} days:\n${diff.join('\n')}`);
    return { traffic: t, seconds, runs, killed, firstRun };
  };

  const base = await trial(30);
  if (base.traffic.points !== b.points) throw new Error(`the uninterrupted restore sent ${base.traffic.points} points, the backup holds ${b.points}`);
  process.stderr.write(
    `bench: uninterrupted restore: ${base.seconds.toFixed(1)} s, ${base.traffic.puts} puts, ${base.traffic.points} points, identical to the source\n`,
  );
  const random = seededRandom(Number(values.seed));
  const rows: Array<{ at: number; runs: number; killed: boolean; t: Traffic; seconds: number }> = [];
  // A restore's duration varies (other load on the machine): a run that finished before its kill moment
  // is no trial; the moment is drawn again within that run's duration, into a new range.
  let duration = base.seconds;
  let shift = 30;
  for (let k = 1; k <= Number(values.kills); k++) {
    let at = 0;
    let r;
    do {
      at = Math.round(random() * duration * 1000);
      shift += 30;
      r = await trial(shift, at);
      if (!r.killed) {
        duration = r.firstRun;
        process.stderr.write(`bench: kill ${k}: the restore finished in ${r.firstRun.toFixed(1)} s, before ${(at / 1000).toFixed(1)} s; drawing again\n`);
      }
    } while (!r.killed);
    rows.push({ at, runs: r.runs, killed: r.killed, t: r.traffic, seconds: r.seconds });
    process.stderr.write(
      `bench: kill ${k} at ${(at / 1000).toFixed(1)} s: ${r.runs} runs, ${r.traffic.points} points sent (+${((r.traffic.points / base.traffic.points - 1) * 100).toFixed(2)}%), identical to the source\n`,
    );
  }
  const pct = (a: number, b0: number): string => `${a / b0 >= 1 ? '+' : ''}${((a / b0 - 1) * 100).toFixed(2)}%`;
  console.log(`\nrestore of ${b.points} points (${b.chunks} chunks) into the default target, killed with SIGKILL at ${rows.length} random moments and resumed`);
  console.log(
    `uninterrupted: ${base.seconds.toFixed(1)} s, ${base.traffic.puts} puts, ${base.traffic.points} points, ${base.traffic.putBytes} put bytes, ${base.traffic.requestBytes + base.traffic.responseBytes} bytes in and out`,
  );
  console.log(
    'kill'.padEnd(5),
    'at s'.padStart(7),
    'killed'.padStart(7),
    'runs'.padStart(5),
    'points sent'.padStart(12),
    'extra'.padStart(8),
    'put bytes'.padStart(11),
    'extra'.padStart(8),
    'all bytes'.padStart(11),
    'extra'.padStart(8),
    'identical'.padStart(10),
  );
  const baseAll = base.traffic.requestBytes + base.traffic.responseBytes;
  rows.forEach((r, i) => {
    const all = r.t.requestBytes + r.t.responseBytes;
    console.log(
      String(i + 1).padEnd(5),
      (r.at / 1000).toFixed(1).padStart(7),
      String(r.killed).padStart(7),
      String(r.runs).padStart(5),
      String(r.t.points).padStart(12),
      pct(r.t.points, base.traffic.points).padStart(8),
      String(r.t.putBytes).padStart(11),
      pct(r.t.putBytes, base.traffic.putBytes).padStart(8),
      String(all).padStart(11),
      pct(all, baseAll).padStart(8),
      'yes'.padStart(10),
    );
  });
  const sum = (f: (t: Traffic) => number) => rows.reduce((n, r) => n + f(r.t), 0);
  const n = rows.length;
  console.log(
    `total over ${n} kills: points ${pct(
      sum((t) => t.points),
      n * base.traffic.points,
    )}, put bytes ${pct(
      sum((t) => t.putBytes),
      n * base.traffic.putBytes,
    )}, all bytes ${pct(
      sum((t) => t.requestBytes + t.responseBytes),
      n * baseAll,
    )}; every restore identical to the source`,
  );
} finally {
  await proxy.close();
  await h.stop();
  await rm(work, { recursive: true, force: true });
}
