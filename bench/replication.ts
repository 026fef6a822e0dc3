// npm run bench:replication [-- --duration 5m] [--rates 2000,20000] [--intervals 1m,10s]
//     [--outage 30m] [--outage-rate 2000] [--outage-interval 1m] [--hook-repeats 3]
//     [--phases lag,outage,hook] [--source URL --target URL] [--series 300] [--metrics 30] [--writers 12]
//     [--hbase-heap-mb 4096]
// Figures for `tsdb-backup replicate` (the built CLI, `npm run build` first), run as a child process
// against a primary that takes a steady write load of current points:
//  1. lag: per rate and interval, the lag each pass reports (now - oldest checkpoint at its end),
//     median and worst, and an independent lag from two canary series sampled every 5 s on both TSDs
//     (primary's newest - standby's newest; one canary is copied first in each pass, the other last,
//     as metrics are copied in name order); the achieved write rate; point counts compared at the end.
//  2. outage: the standby unreachable (a switchable proxy in front of it refuses connections) for
//     --outage while the load goes on, then back: time until a pass reports a lag under 2 intervals,
//     and the catch-up rate (points written by the catch-up passes / their time).
//  3. hook: the primary unreachable (a proxy in front of it): time from then until the
//     --on-primary-down hook has run with the default --check-every 10s --fail-after 3.
// Without --source/--target it starts the real OpenTSDB harness (the source TSD auto-creates metrics
// and takes chunked bodies: the primary; the target has OpenTSDB defaults: the standby).

import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { TsdClient } from '../src/opentsdb/client.js';
import { compareCounts } from '../src/replicate/compare-counts.js';
import { parseDuration } from '../src/time/parse-time.js';
import { startSwitchableProxy } from '../test/support/switchable-proxy.js';
import { CanarySampler } from './canary-sampler.js';
import { canaryMetrics, loadMetricNames, WriteLoad, type LoadFigures } from './replication-load.js';
import { ReplicatorProcess, type CycleEvent, type ProcessFigures } from './replicator-process.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5m' },
    rates: { type: 'string', default: '2000,20000' },
    intervals: { type: 'string', default: '1m,10s' },
    outage: { type: 'string', default: '30m' },
    'outage-rate': { type: 'string', default: '2000' },
    'outage-interval': { type: 'string', default: '1m' },
    'hook-repeats': { type: 'string', default: '3' },
    phases: { type: 'string', default: 'lag,outage,hook' },
    source: { type: 'string' },
    target: { type: 'string' },
    series: { type: 'string', default: '300' },
    metrics: { type: 'string', default: '30' },
    writers: { type: 'string', default: '12' },
    'body-bytes': { type: 'string', default: String(512 * 1024) },
    'hbase-heap-mb': { type: 'string', default: '4096' },
  },
});
const durationMs = parseDuration(values.duration);
const phases = new Set(values.phases.split(','));
const runPrefix = `replbench${Date.now().toString(36)}`;
const SETTLE_MS = 10_000; // replicate's default --settle

async function clusters(): Promise<{ source: string; target: string; kind: string; stop: () => Promise<void> }> {
  if (values.source && values.target)
    return { source: values.source, target: values.target, kind: `given: ${values.source} -> ${values.target}`, stop: async () => undefined };
  const { startHarness } = await import('../test/e2e/harness/harness.js');
  const h = await startHarness({ hbaseHeapMb: Number(values['hbase-heap-mb']), tsdHeapMb: 1024, log: (l) => process.stderr.write(`harness: ${l}\n`) });
  return { source: h.sourceUrl, target: h.targetUrl, kind: 'OpenTSDB 2.4.1 on HBase 2.6 (harness: one HBase for both TSDs)', stop: () => h.stop() };
}

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const secs = (ms: number): string => (Number.isNaN(ms) ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
const spread = (xs: number[]): string =>
  xs.length === 0 ? 'no values' : `median ${secs(pct(xs, 50))}, p90 ${secs(pct(xs, 90))}, worst ${secs(Math.max(...xs))} (${xs.length} values)`;
const say = (line: string): void => console.log(line);
const note = (line: string): void => {
  process.stderr.write(`bench: ${new Date().toISOString()} ${line}\n`);
};

/** The 1-minute load average sampled every 5 s, to say how busy the machine was. */
function loadAverage(): () => { mean: number; max: number } {
  const xs: number[] = [os.loadavg()[0]!];
  const timer = setInterval(() => xs.push(os.loadavg()[0]!), 5000);
  return () => {
    clearInterval(timer);
    return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, max: Math.max(...xs) };
  };
}

function describeLoad(rate: number, f: LoadFigures): string {
  return (
    `load offered ${rate}/s: achieved ${Math.round(f.written / f.seconds)} points/s confirmed over ${f.seconds.toFixed(0)} s ` +
    `(${f.written} points; +${f.writtenAfterStop} drained after; ${f.shed} shed, ${f.failed} failed; max backlog ${f.maxBacklog}; ${f.requests} puts, mean ${f.meanPutMs.toFixed(0)} ms)` +
    (f.firstError ? `; first error: ${f.firstError}` : '')
  );
}

function describeProcess(p: ProcessFigures, busy: { mean: number; max: number }): string {
  return `replicator CPU ${p.cpuSeconds.toFixed(1)} s, peak RSS ${p.peakRssMb.toFixed(0)} MB, exit ${p.exitCode}; machine load average mean ${busy.mean.toFixed(2)}, max ${busy.max.toFixed(2)} (${os.cpus().length} cores)`;
}

interface Setup {
  name: string;
  rate: number;
  interval: string;
  source?: string;
  target?: string;
  extra?: string[];
}

/** Starts a load on a fresh set of metrics, and replicate from just before it. */
async function begin(c: { source: string; target: string }, workDir: string, s: Setup) {
  const prefix = `${runPrefix}.${s.name}`;
  const load = new WriteLoad({
    url: c.source,
    prefix,
    rate: s.rate,
    metrics: Number(values.metrics),
    series: Number(values.series),
    writers: Number(values.writers),
    maxBodyBytes: Number(values['body-bytes']),
    maxBacklogSeconds: 10,
  });
  const start = Date.now() - 1000;
  const loadStart = load.start();
  const args = [
    '--source',
    s.source ?? c.source,
    '--target',
    s.target ?? c.target,
    '--state',
    path.join(workDir, `${s.name}.state.json`),
    '--start',
    String(start),
    '--interval',
    s.interval,
    '--metric',
    `${prefix}.*`,
    ...(s.extra ?? []),
  ];
  note(`${s.name}: load ${s.rate}/s into ${c.source}; replicate ${args.join(' ')}`);
  const rep = new ReplicatorProcess(args, path.join(workDir, `${s.name}.replicate.log`));
  const canaries = canaryMetrics(prefix);
  const primary = new TsdClient({ url: c.source, timeoutMs: 30_000 });
  const standby = new TsdClient({ url: c.target, timeoutMs: 30_000 });
  const firstCanary = new CanarySampler(primary, standby, canaries.first, loadStart);
  const lastCanary = new CanarySampler(primary, standby, canaries.last, loadStart);
  firstCanary.start();
  lastCanary.start();
  const busy = loadAverage();
  const metrics = [canaries.first, ...loadMetricNames(prefix, Number(values.metrics)), canaries.last];
  return { prefix, load, start, loadStart, rep, firstCanary, lastCanary, busy, metrics };
}

/** Stops the load, waits for a pass that read after the last point was confirmed, and compares counts. */
async function finish(c: { source: string; target: string }, r: Awaited<ReturnType<typeof begin>>, intervalMs: number) {
  const loadFigures = await r.load.stop();
  const drainedAt = Date.now();
  const loadEnd = r.loadStart + loadFigures.seconds * 1000;
  await Promise.all([r.firstCanary.stop(), r.lastCanary.stop()]);
  let counts = 'not compared';
  try {
    await r.rep.waitFor((e) => e.type === 'cycle' && (e as CycleEvent).until >= drainedAt, drainedAt, intervalMs + SETTLE_MS + 600_000);
    const cmp = await compareCounts(
      new TsdClient({ url: c.source, timeoutMs: 300_000 }),
      new TsdClient({ url: c.target, timeoutMs: 300_000 }),
      r.metrics,
      { start: r.start, end: drainedAt },
      { concurrency: 4 },
    );
    counts =
      cmp.differences.length === 0
        ? `point counts equal on both (${cmp.points} points in ${cmp.compared} metrics)`
        : `POINT COUNTS DIFFER in ${cmp.differences.length} of ${cmp.compared} metrics: ${cmp.differences
            .slice(0, 5)
            .map((d) => `${d.metric} primary ${d.from} standby ${d.to}`)
            .join('; ')}`;
  } catch (err) {
    counts = `counts not compared: ${(err as Error).message}`;
  }
  const proc = await r.rep.stop();
  const busy = r.busy();
  const failedPasses = r.rep.events.filter((x) => x.e.type === 'cycle-failed');
  return { loadFigures, loadEnd, counts, proc, busy, failedPasses };
}

async function lagRun(c: { source: string; target: string }, workDir: string, rate: number, interval: string): Promise<string[]> {
  const intervalMs = parseDuration(interval);
  const r = await begin(c, workDir, { name: `lag${rate}i${interval}`, rate, interval });
  await sleep(durationMs);
  const loadEnd = Date.now();
  const cycles = r.rep.cycles().filter((x) => x.t >= r.loadStart && x.t <= loadEnd);
  const from = r.loadStart + intervalMs + SETTLE_MS;
  const f = await finish(c, r, intervalMs);
  const partial = cycles.filter((x) => x.e.failed.length > 0).length;
  return [
    `lag at ${rate} points/s offered, --interval ${interval}, ${values.duration}:`,
    `  ${describeLoad(rate, f.loadFigures)}`,
    `  replicate's lag at the end of each pass: ${spread(cycles.map((x) => x.e.lagMs))}`,
    `  canary lag (primary's newest - standby's newest, every 5 s, from the end of the first interval on):`,
    `    canary copied last in a pass:  ${spread(r.lastCanary.lags(from, loadEnd))}`,
    `    canary copied first in a pass: ${spread(r.firstCanary.lags(from, loadEnd))}`,
    `  pass duration: ${spread(cycles.map((x) => x.e.durationMs))}; points written by passes during the load ${cycles.reduce((n, x) => n + x.e.pointsWritten, 0)}`,
    `  passes in order (duration/points written/lag): ${cycles.map((x) => `${(x.e.durationMs / 1000).toFixed(1)}/${x.e.pointsWritten}/${(x.e.lagMs / 1000).toFixed(1)}`).join(' ')}`,
    `  passes with failed metrics ${partial}, failed passes ${f.failedPasses.length}${f.failedPasses[0] ? ` (first: ${String(f.failedPasses[0].e.error).slice(0, 200)})` : ''}; ${f.counts}`,
    `  ${describeProcess(f.proc, f.busy)}`,
  ];
}

async function outageRun(c: { source: string; target: string }, workDir: string): Promise<string[]> {
  const rate = Number(values['outage-rate']);
  const interval = values['outage-interval'];
  const intervalMs = parseDuration(interval);
  const outageMs = parseDuration(values.outage);
  const proxy = await startSwitchableProxy(c.target);
  try {
    const r = await begin(c, workDir, { name: `outage${rate}i${interval}`, rate, interval, target: proxy.url });
    await r.rep.waitFor((e) => e.type === 'cycle' && r.rep.cycles().length >= 2, 0, intervalMs * 3 + 600_000);
    const steady = r.rep.cycles().map((x) => x.e.lagMs);
    await sleep(5000);
    const down = Date.now();
    await proxy.down();
    note(`outage: standby unreachable for ${values.outage}`);
    await sleep(outageMs);
    const up = Date.now();
    await proxy.up();
    note('outage: standby reachable again; waiting for a pass with lag under 2 intervals');
    let recovered: { t: number; e: CycleEvent } | undefined;
    let recoverError = '';
    try {
      recovered = await r.rep.waitFor<CycleEvent>((e) => e.type === 'cycle' && (e as CycleEvent).lagMs < 2 * intervalMs, up, Math.max(2 * outageMs, 1_800_000));
    } catch (err) {
      recoverError = (err as Error).message;
    }
    const end = recovered?.t ?? Date.now();
    const catchUp = r.rep.cycles().filter((x) => x.t > up && x.t <= end);
    const failedDuring = r.rep.events.filter((x) => x.t >= down && x.t <= up && x.e.type === 'cycle-failed');
    const firstStart = catchUp[0] ? catchUp[0].t - catchUp[0].e.durationMs : NaN;
    const points = catchUp.reduce((n, x) => n + x.e.pointsWritten, 0);
    const busyMs = catchUp.reduce((n, x) => n + x.e.durationMs, 0);
    // A little steady state after the catch-up, then the comparison.
    await sleep(intervalMs + 10_000);
    const f = await finish(c, r, intervalMs);
    const canaryBack = r.lastCanary.samples.find((s) => s.t > up && s.lagMs !== undefined && s.lagMs < 2 * intervalMs);
    const canaryWorst = Math.max(...r.lastCanary.lags(down, end));
    const lines = [
      `catch-up after a ${values.outage} standby outage at ${rate} points/s offered, --interval ${interval}:`,
      `  ${describeLoad(rate, f.loadFigures)}`,
      `  before the outage: pass lags ${steady.map((x) => secs(x)).join(', ')}`,
      `  during the outage: ${failedDuring.length} failed passes (retries after ${[...new Set(failedDuring.map((x) => secs(Number(x.e.retryInMs))))].join(', ')}); lag at the last one ${secs(Number(failedDuring.at(-1)?.e.lagMs ?? NaN))}; first error: ${String(failedDuring[0]?.e.error ?? 'none').slice(0, 160)}`,
    ];
    if (!recovered)
      lines.push(
        `  NOT RECOVERED: ${recoverError}; passes since: ${catchUp.map((x) => `${secs(x.e.durationMs)}/${x.e.pointsWritten} pts/lag ${secs(x.e.lagMs)}`).join(', ')}`,
      );
    else {
      lines.push(
        `  back under 2 intervals (${secs(2 * intervalMs)}) ${secs(end - up)} after the standby came back (first pass began ${secs(firstStart - up)} after: the retry backoff), in ${catchUp.length} passes: ` +
          catchUp.map((x) => `${x.e.pointsWritten} points in ${secs(x.e.durationMs)} (lag then ${secs(x.e.lagMs)})`).join('; '),
        `  catch-up rate: ${Math.round(points / ((end - firstStart) / 1000))} points/s from the first pass's start to the recovered pass's end (${points} points in ${secs(end - firstStart)}; ${Math.round(points / (busyMs / 1000))} points/s of pass time); ${Math.round(points / ((end - up) / 1000))} points/s counted from the standby's return`,
        `  first catch-up pass alone: ${Math.round(catchUp[0]!.e.pointsWritten / (catchUp[0]!.e.durationMs / 1000))} points/s (${catchUp[0]!.e.pointsWritten} points, ${catchUp[0]!.e.pointsRead} read, in ${secs(catchUp[0]!.e.durationMs)})`,
      );
    }
    lines.push(
      `  canary copied last in a pass: worst lag ${secs(canaryWorst)}; under 2 intervals again ${canaryBack ? secs(canaryBack.t - up) : 'never'} after the standby came back`,
      `  failed passes in all ${f.failedPasses.length}; ${f.counts}`,
      `  ${describeProcess(f.proc, f.busy)}`,
    );
    return lines;
  } finally {
    await proxy.close();
  }
}

async function hookRun(c: { source: string; target: string }, workDir: string): Promise<string[]> {
  const repeats = Number(values['hook-repeats']);
  const proxy = await startSwitchableProxy(c.source);
  const hookFile = path.join(workDir, 'hook-times.txt');
  const lines = (): string[] => (existsSync(hookFile) ? readFileSync(hookFile, 'utf8').split('\n').filter(Boolean) : []);
  try {
    const r = await begin(c, workDir, {
      name: 'hook',
      rate: 100,
      interval: '1m',
      source: proxy.url,
      extra: ['--on-primary-down', `date +%s%3N >> ${hookFile}`],
    });
    await r.rep.waitFor((e) => e.type === 'cycle', 0, 600_000);
    const delays: number[] = [];
    const detail: string[] = [];
    for (let i = 0; i < repeats; i++) {
      await sleep(2000 + Math.random() * 10_000); // a random phase against the 10 s checks
      const down = Date.now();
      await proxy.down();
      let hookAt: number | undefined;
      while (Date.now() - down < 180_000) {
        const got = lines();
        if (got.length > i) {
          hookAt = Number(got[i]);
          break;
        }
        await sleep(100);
      }
      const declared = r.rep.events.find((x) => x.t >= down && x.e.type === 'primary-down');
      if (hookAt === undefined) detail.push(`#${i + 1}: no hook within 180 s`);
      else {
        delays.push(hookAt - down);
        detail.push(`#${i + 1}: ${secs(hookAt - down)}${declared ? ` (PRIMARY DOWN event ${secs(declared.t - down)})` : ''}`);
      }
      const up = Date.now();
      await proxy.up();
      await r.rep.waitFor((e) => e.type === 'primary-up', up, 120_000);
    }
    const f = await finish(c, r, 60_000);
    return [
      `primary down -> --on-primary-down hook ran (--check-every 10s --fail-after 3), ${repeats} times: min ${secs(Math.min(...delays))}, median ${secs(pct(delays, 50))}, max ${secs(Math.max(...delays))}`,
      `  ${detail.join('; ')}`,
      `  ${describeProcess(f.proc, f.busy)}`,
    ];
  } finally {
    await proxy.close();
  }
}

const c = await clusters();
const workDir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-bench-repl-'));
const emit = (lines: string[]): void => {
  for (const l of lines) say(l);
};
emit([
  `TSD: ${c.kind}; metrics ${runPrefix}.*; ${values.series} series over ${values.metrics} metrics + 2 canaries; ${values.writers} writers; logs in ${workDir}`,
]);
try {
  if (phases.has('lag')) {
    for (const interval of values.intervals.split(',')) {
      for (const rate of values.rates.split(',').map(Number)) emit(await lagRun(c, workDir, rate, interval));
    }
  }
  if (phases.has('outage')) emit(await outageRun(c, workDir));
  if (phases.has('hook')) emit(await hookRun(c, workDir));
} finally {
  await c.stop();
}
