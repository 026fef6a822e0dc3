// tsdb-backup health against the real OpenTSDB 2.4.1: the shared source (auto-creates metrics) and
// target (OpenTSDB defaults), a port nothing listens on, and this file's own TSD, stopped and started
// again for real while a --watch follows it.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { closedPort } from '../support/closed-port.js';
import { snapshot } from '../support/compare-clusters.js';
import { cli } from '../support/run-cli-in-process.js';
import { useTempDir } from '../support/temp-dir.js';
import { startExtraTsd, type ExtraTsd } from './harness/extra-tsd.js';
import { linesOf, summaryOf } from '../support/json-output.js';

const skipped = inject('e2eSkipped');
const launch = inject('tsdLaunch');
const run = Date.now().toString(36);

interface HealthLine {
  type: string;
  url: string;
  verdict: string;
  reasons: string[];
  steps: Array<{ name: string; ok: boolean; ms: number; note?: string }>;
  limits: Record<string, unknown>;
  canary: { metric: string; timestamp: number; value: number; tags: Record<string, string> } | null;
}

async function health(args: string[]): Promise<{ code: number; h: HealthLine; stderr: string }> {
  const r = await cli(['health', ...args, '--json']);
  expect(r.json, r.stderr).toHaveLength(2);
  expect(summaryOf(r)).toMatchObject({ command: 'health', tsds: 1 });
  return { code: r.code, h: linesOf(r, 'health')[0] as unknown as HealthLine, stderr: r.stderr };
}

/** The canary as the TSD serves it, read independently of the health check. */
async function stored(url: string, c: NonNullable<HealthLine['canary']>): Promise<string[] | undefined> {
  return (await snapshot(url, [c.metric], c.timestamp, c.timestamp + 1)).get(`${c.metric}{host=${hostname()}}`);
}

async function until(what: string, check: () => boolean | Promise<boolean>, log: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the watch printed:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(skipped)('health against the real OpenTSDB', () => {
  const source = inject('sourceUrl');
  const target = inject('targetUrl');

  it('the shared source is healthy: the default canary is written and read back, and the TSD serves it', async () => {
    const { code, h, stderr } = await health(['--tsd', source]);
    expect(code, stderr).toBe(0);
    expect(h).toMatchObject({
      type: 'health',
      url: source,
      verdict: 'healthy',
      reasons: [],
      limits: { autoCreateMetrics: true, chunkedRequests: true, readOnly: false },
    });
    expect(h.steps.map((s) => [s.name, s.ok])).toEqual([
      ['version', true],
      ['config', true],
      ['suggest', true],
      ['query', true],
      ['put', true],
      ['read-back', true],
    ]);
    expect(h.canary).toMatchObject({ metric: 'tsdb.backup.canary', tags: { host: hostname() } });
    expect(h.canary!.value).toBe(h.canary!.timestamp);
    expect(await stored(source, h.canary!)).toEqual([`${h.canary!.timestamp}=${h.canary!.value}`]);
  });

  it('the target does not auto-create metrics: the canary metric is created first, then exists', async () => {
    const metric = `e2e.health.canary.${run}`;
    const first = await health(['--tsd', target, '--canary-metric', metric]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.h.limits).toMatchObject({ autoCreateMetrics: false, chunkedRequests: false, maxBodyBytes: 8128 });
    expect(first.h.steps.find((s) => s.name === 'query')?.note).toBe('the canary metric does not exist yet');
    expect(first.h.steps.find((s) => s.name === 'assign')).toMatchObject({ ok: true, note: 'created 1 name(s)' });
    expect(await stored(target, first.h.canary!)).toEqual([`${first.h.canary!.timestamp}=${first.h.canary!.value}`]);
    const second = await health(['--tsd', target, '--canary-metric', metric]);
    expect(second.code).toBe(0);
    expect(second.h.steps.find((s) => s.name === 'assign')?.note).toBe('the names exist');
    expect(second.h.steps.find((s) => s.name === 'query')?.note).toMatch(/^[12] canary point\(s\) in the last 10 min$/);
  });

  it('--read-only writes nothing and creates no name on the target', async () => {
    const metric = `e2e.health.readonly.${run}`;
    const { code, h } = await health(['--tsd', target, '--canary-metric', metric, '--read-only']);
    expect(code).toBe(0);
    expect(h.steps.map((s) => s.name)).toEqual(['version', 'config', 'suggest', 'query']);
    const suggested = (await (await fetch(`${target}/api/suggest?type=metrics&q=${metric}&max=10`)).json()) as string[];
    expect(suggested).toEqual([]);
  });

  it('a port nothing listens on is down: exit 7', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await cli(['health', '--tsd', url, '--tsd', source, '--json']);
    expect(r.code).toBe(7);
    expect(linesOf(r, 'health').map((h) => [h.url, h.verdict])).toEqual([
      [url, 'down'],
      [source, 'healthy'],
    ]);
    expect(r.json[0]!.reasons).toEqual([expect.stringMatching(/^cannot reach the TSD: .*ECONNREFUSED/)]);
  });
});

describe.skipIf(skipped || !launch)("health of this file's own TSD, stopped and started again", () => {
  let tsd: ExtraTsd;
  const tempDir = useTempDir('tsdb-health-e2e-');
  beforeAll(async () => {
    tsd = await startExtraTsd(launch!, 'source');
  });
  afterAll(async () => {
    await tsd?.stop();
  });

  it('healthy (0); stopped: down (7, Nagios CRITICAL 2); started again: healthy (0); a --watch saw each change and stops with 0', async () => {
    expect((await health(['--tsd', tsd.url])).code).toBe(0);

    const dir = tempDir();
    const prom = path.join(dir, 'health.prom');
    let log = '';
    const ac = new AbortController();
    const io = {
      stdout: () => undefined,
      writeStdout: async () => undefined,
      stderr: (t: string) => void (log += t),
      isTTY: false,
      cwd: dir,
      env: {},
      now: () => new Date(),
      signal: ac.signal,
    };
    const watching = runCli(['health', '--tsd', tsd.url, '--watch', '1s', '--status-file', prom], io);
    await until(
      'the first verdict',
      () => log.includes(`${tsd.url} healthy\n`),
      () => log,
    );

    await tsd.stop();
    const down = await health(['--tsd', tsd.url]);
    expect(down.code).toBe(7);
    expect(down.h.reasons).toEqual([expect.stringMatching(/^cannot reach the TSD: .*ECONNREFUSED/)]);
    const nagios = await cli(['health', '--tsd', tsd.url, '--nagios']);
    expect(nagios.code).toBe(2);
    expect(nagios.stdout).toMatch(new RegExp(`^TSDB CRITICAL - 1 of 1 TSD\\(s\\) down: ${tsd.url} \\(cannot reach the TSD: `));
    // A round that the stop cuts in the middle may see it degraded first (measured: version answered,
    // then "other side closed", ECONNRESET): down must follow.
    await until(
      'the watch to see it down',
      () => / -> down after /.test(log),
      () => log,
    );
    // The transition is logged before the round's status file is written: wait for the file.
    let promText = '';
    await until(
      'the status file to say down',
      async () => (promText = await readFile(prom, 'utf8')).includes(`tsdb_backup_tsd_up{tsd="${tsd.url}"} 0\n`),
      () => promText,
    );

    await tsd.start();
    const back = await health(['--tsd', tsd.url]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.h.verdict).toBe('healthy');
    await until(
      'the watch to see it back',
      () => log.includes(`${tsd.url} down -> healthy after`),
      () => log,
    );
    ac.abort(new Error('SIGTERM'));
    expect(await watching).toBe(0);
    expect(log).toMatch(/stopped after \d+ check\(s\)\n$/);
    await until(
      'the status file to say healthy',
      async () => (promText = await readFile(prom, 'utf8')).includes(`tsdb_backup_tsd_verdict{tsd="${tsd.url}",verdict="healthy"} 1\n`),
      () => promText,
    );
  });

  it('in tsd.mode=ro: degraded when asked to write, healthy with --read-only', async () => {
    await tsd.stop();
    await tsd.start({ 'tsd.mode': 'ro' });
    const write = await health(['--tsd', tsd.url]);
    expect(write.code).toBe(6);
    expect(write.h.reasons).toEqual(['a write check was asked for, but the TSD runs with tsd.mode=ro (use --read-only to check reads only)']);
    expect(write.h.limits.readOnly).toBe(true);
    expect((await health(['--tsd', tsd.url, '--read-only'])).code).toBe(0);
  });
});
