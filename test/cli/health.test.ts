// tsdb-backup health through the CLI against in-process fake TSDs: exit codes, outputs, status file, watch.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port.js';
import { startFakeTsd, type FakeTsd, type FakeTsdOptions, type FaultRequest } from '../support/fake-tsd/index.js';
import { cli } from '../support/run-cli-in-process.js';
import { useTempDir } from '../support/temp-dir.js';

const tsds: FakeTsd[] = [];
async function fake(o: FakeTsdOptions = {}): Promise<FakeTsd> {
  const t = await startFakeTsd(o);
  tsds.push(t);
  return t;
}
const hbase424 = (r: FaultRequest) => (r.path.startsWith('/api/query') ? { status: 424, body: { error: { code: 424, message: 'HBase is down' } } } : undefined);

const tempDir = useTempDir('tsdb-backup-health-cli-');
afterEach(async () => {
  await Promise.all(tsds.splice(0).map((t) => t.close()));
});

describe('health: exit codes and output', () => {
  it('0 when every TSD is healthy; a block per TSD on stderr with each step, the version and the limits', async () => {
    const [a, b] = [await fake(), await fake({ autoCreateMetrics: true, enableChunked: true, maxChunk: 65536 })];
    const r = await cli(['health', '--tsd', a.url, '--tsd', b.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${a.url}: healthy (OpenTSDB 2.4.1)\n`);
    expect(r.stderr).toMatch(/ {2}ok {4}assign +\d+ ms {2}created 1 name\(s\)\n/);
    expect(r.stderr).toMatch(/ {2}ok {4}read-back +\d+ ms\n/);
    expect(r.stderr).toContain('  limits: chunked requests off, bodies up to 7.9 KiB, metric auto-creation off, tsd.mode rw\n');
    expect(r.stderr).toContain('  limits: chunked requests on, bodies up to 63.9 KiB, metric auto-creation on, tsd.mode rw\n');
    expect(r.stderr).toContain('2 TSD(s): 2 healthy, 0 degraded, 0 down\n');
  });

  it('6 when one is degraded and none down, with the reason (HBase trouble)', async () => {
    const [a, b] = [await fake(), await fake({ faults: hbase424 })];
    const r = await cli(['health', '--tsd', a.url, '--tsd', b.url]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`${b.url}: degraded (OpenTSDB 2.4.1)\n  reason: HBase trouble: query answered 424: HBase is down\n`);
    expect(r.stderr).toMatch(/ {2}FAIL {2}query +\d+ ms {2}answered 424: HBase is down\n/);
  });

  it('7 when one is down, whatever the others are', async () => {
    const b = await fake({ faults: hbase424 });
    const r = await cli(['health', '--tsd', `http://127.0.0.1:${await closedPort()}`, '--tsd', b.url]);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/: down\n {2}reason: cannot reach the TSD: .*ECONNREFUSED/);
    expect(r.stderr).toContain('2 TSD(s): 0 healthy, 1 degraded, 1 down\n');
  });

  it('--json: one object per TSD per line on stdout', async () => {
    const [a, b] = [await fake(), await fake({ faults: hbase424 })];
    const r = await cli(['health', '--tsd', a.url, '--tsd', b.url, '--json']);
    expect(r.code).toBe(6);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toEqual({ type: 'summary', command: 'health', schemaVersion: 1, tsds: 2, healthy: 1, degraded: 1, down: 0 });
    expect(lines[0]).toMatchObject({
      type: 'health',
      url: a.url,
      verdict: 'healthy',
      reasons: [],
      version: '2.4.1',
      limits: { autoCreateMetrics: false, chunkedRequests: false, maxBodyBytes: 8128, readOnly: false },
    });
    expect(lines[1]).toMatchObject({
      type: 'health',
      url: b.url,
      verdict: 'degraded',
      reasons: ['HBase trouble: query answered 424: HBase is down', 'HBase trouble: read-back answered 424: HBase is down'],
    });
    expect(lines[1]!.steps).toContainEqual({ name: 'query', ok: false, durationMs: expect.any(Number), error: 'answered 424: HBase is down' });
    expect(new Date(lines[0]!.checkedAt as string).toISOString()).toBe(lines[0]!.checkedAt);
    expect(r.stderr).toBe('');
  });

  it('--read-only writes nothing (a probe)', async () => {
    const a = await fake();
    const r = await cli(['health', '--tsd', a.url, '--read-only', '--json']);
    expect(r.code).toBe(0);
    expect(r.json[0]!.steps).toHaveLength(4);
    expect(a.stats.puts).toBe(0);
    expect(a.uids().metrics).toEqual([]);
  });

  it('--canary-metric names the metric written', async () => {
    const a = await fake({ autoCreateMetrics: true });
    const r = await cli(['health', '--tsd', a.url, '--canary-metric', 'ops.canary/eu', '--json']);
    expect(r.code).toBe(0);
    expect(a.dump().map((s) => s.metric)).toEqual(['ops.canary/eu']);
  });

  it('--slow: a slow step makes the TSD degraded', async () => {
    const a = await fake({
      faults: async (r) => (r.path.startsWith('/api/suggest') ? new Promise<undefined>((res) => setTimeout(() => res(undefined), 200)) : undefined),
    });
    const r = await cli(['health', '--tsd', a.url, '--slow', '100ms']);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/reason: suggest took 2\d\d ms, slower than 100 ms/);
  });

  it('--timeout: a TSD that does not answer in time is down, and the check does not wait longer', async () => {
    const a = await fake({ faults: async () => new Promise<undefined>((res) => setTimeout(() => res(undefined), 3000)) });
    const t0 = Date.now();
    const r = await cli(['health', '--tsd', a.url, '--timeout', '300ms', '--json']);
    expect(r.code).toBe(7);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.json[0]).toMatchObject({ verdict: 'down', reasons: ['/api/version timed out (no complete answer within 300 ms)'] });
  });

  it('no output or status file holds the password of a --tsd URL', async () => {
    const a = await fake();
    const url = a.url.replace('http://', 'http://ops:s3cr3t@');
    const prom = path.join(tempDir(), 'creds.prom');
    for (const extra of [[], ['--json'], ['--nagios'], ['--status-file', prom]]) {
      const r = await cli(['health', '--tsd', url, '--tsd', `http://ops:s3cr3t@127.0.0.1:${await closedPort()}`, ...extra]);
      expect(r.code).toBe(extra[0] === '--nagios' ? 2 : 7);
      expect(`${r.stdout}${r.stderr}`).not.toContain('s3cr3t');
      expect(`${r.stdout}${r.stderr}`).toContain(a.url);
    }
    expect(await readFile(prom, 'utf8')).not.toContain('s3cr3t');
  });

  it('usage errors exit 2: no --tsd, the same TSD twice, a bad duration or metric name', async () => {
    const a = await fake();
    for (const args of [
      ['health'],
      ['health', '--tsd', a.url, '--tsd', `${a.url}/`],
      ['health', '--tsd', a.url, '--slow', 'soon'],
      ['health', '--tsd', a.url, '--watch', '10ms'],
      ['health', '--tsd', a.url, '--canary-metric', 'has space'],
      ['health', '--tsd', 'ftp://x'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect(a.stats.requests).toEqual([]);
  });
});

describe('health --nagios', () => {
  it('OK 0, WARNING 1, CRITICAL 2: one plugin line with perfdata', async () => {
    const [a, b] = [await fake(), await fake({ faults: hbase424 })];
    const ok = await cli(['health', '--tsd', a.url, '--nagios']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      new RegExp(
        `^TSDB OK - 1 of 1 TSD\\(s\\) healthy \\| healthy=1;;;0;1 degraded=0;;;0;1 down=0;;;0;1 '${a.url} version'=[0-9.]+s;2;;0 .*'${a.url} read-back'=[0-9.]+s;2;;0\\n$`,
      ),
    );
    expect(ok.stdout.split('\n')).toHaveLength(2);
    const warn = await cli(['health', '--tsd', a.url, '--tsd', b.url, '--nagios']);
    expect(warn.code).toBe(1);
    expect(warn.stdout).toMatch(
      new RegExp(
        `^TSDB WARNING - 1 of 2 TSD\\(s\\) degraded: ${b.url} \\(HBase trouble: query answered 424: HBase is down\\) \\| healthy=1;;;0;2 degraded=1;;;0;2 down=0;;;0;2 `,
      ),
    );
    const down = `http://127.0.0.1:${await closedPort()}`;
    const crit = await cli(['health', '--tsd', a.url, '--tsd', b.url, '--tsd', down, '--nagios']);
    expect(crit.code).toBe(2);
    expect(crit.stdout).toMatch(
      new RegExp(
        `^TSDB CRITICAL - 1 of 3 TSD\\(s\\) down: ${down} \\(cannot reach the TSD: [^|]*\\); 1 of 3 TSD\\(s\\) degraded: ${b.url} \\([^|]*\\) \\| healthy=1;;;0;3 degraded=1;;;0;3 down=1;;;0;3 `,
      ),
    );
  });

  it('a usage error is UNKNOWN (3) with a plugin line, an unknown flag too', async () => {
    for (const args of [
      ['health', '--tsd', 'http://x:4242', '--nagios', '--slow', 'soon'],
      ['health', '--nagios', '--bogus'],
      ['health', '--nagios', '--tsd', 'http://x:4242', '--watch', '1m'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stdout).toMatch(/^TSDB UNKNOWN - [^|\n]+\n$/);
    }
  });
});

describe('health --status-file', () => {
  it('a .prom file with the verdicts, written with the one-shot check', async () => {
    const b = await fake({ faults: hbase424 });
    const f = path.join(tempDir(), 'health.prom');
    const r = await cli(['health', '--tsd', b.url, '--status-file', f]);
    expect(r.code).toBe(6);
    const text = await readFile(f, 'utf8');
    expect(text).toContain(`tsdb_backup_tsd_up{tsd="${b.url}"} 1\n`);
    expect(text).toContain(`tsdb_backup_tsd_healthy{tsd="${b.url}"} 0\n`);
    expect(text).toContain(`tsdb_backup_tsd_verdict{tsd="${b.url}",verdict="degraded"} 1\n`);
    expect(text).toMatch(new RegExp(`tsdb_backup_tsd_step_seconds\\{tsd="${b.url}",step="query"\\} [0-9.]+\\n`));
  });

  it('JSON otherwise; a status file that cannot be written is a warning, the verdict stays', async () => {
    const a = await fake();
    const f = path.join(tempDir(), 'health.json');
    expect((await cli(['health', '--tsd', a.url, '--status-file', f])).code).toBe(0);
    expect(JSON.parse(await readFile(f, 'utf8'))).toMatchObject({ format: 'tsdb-backup-health', tsds: [{ url: a.url, verdict: 'healthy' }] });
    const bad = await cli(['health', '--tsd', a.url, '--status-file', path.join(tempDir(), 'no-such-dir', 'h.json')]);
    expect(bad.code).toBe(0);
    expect(bad.stderr).toMatch(/warning: cannot write the status file .*no-such-dir/);
  });
});

describe('health --watch', () => {
  /** A TSD whose /api/version answers 503 while `down` is set. */
  async function switchable() {
    const state = { down: false };
    const tsd = await fake({
      faults: (r) => (state.down && r.path === '/api/version' ? { status: 503, body: { error: { code: 503, message: 'stopping' } } } : undefined),
    });
    return { tsd, state };
  }

  it('prints the first verdict and then only transitions, with the time in the previous state; status file every round; stops with exit 0', async () => {
    const { tsd, state } = await switchable();
    const f = path.join(tempDir(), 'watch.prom');
    let now = Date.now();
    const ac = new AbortController();
    const script = [false, false, true, true, true, false, false];
    const seenInFile: string[] = [];
    let round = 0;
    const r = await cli(['health', '--tsd', tsd.url, '--watch', '30s', '--status-file', f], {
      now: () => new Date(now),
      signal: ac.signal,
      sleep: async (ms) => {
        seenInFile.push(/verdict="(\w+)"} 1/.exec(await readFile(f, 'utf8'))![1]!);
        now += ms;
        round++;
        if (round === script.length) ac.abort(new Error('SIGTERM'));
        state.down = script[round] ?? false;
      },
    });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe(`watching 1 TSD(s) every 30s; only changes are printed (stop with Ctrl-C or SIGTERM)`);
    expect(lines.slice(1, -1)).toEqual([
      expect.stringMatching(new RegExp(`^\\S+Z ${tsd.url} healthy$`)),
      expect.stringMatching(new RegExp(`^\\S+Z ${tsd.url} healthy -> down after 1m0s: /api/version answered 503: stopping$`)),
      expect.stringMatching(new RegExp(`^\\S+Z ${tsd.url} down -> healthy after 1m30s$`)),
    ]);
    expect(lines.at(-1)).toBe('stopped after 7 check(s)');
    expect(seenInFile).toEqual(['healthy', 'healthy', 'down', 'down', 'down', 'healthy', 'healthy']);
  });

  it('--json prints the transitions as JSON lines', async () => {
    const { tsd, state } = await switchable();
    let now = Date.now();
    const ac = new AbortController();
    let round = 0;
    const r = await cli(['health', '--tsd', tsd.url, '--watch', '1m', '--json'], {
      now: () => new Date(now),
      signal: ac.signal,
      sleep: async (ms) => {
        now += ms;
        state.down = ++round === 1;
        if (round === 3) ac.abort(new Error('SIGINT'));
      },
    });
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    ).toEqual([
      { type: 'transition', url: tsd.url, from: null, to: 'healthy', changedAt: expect.any(String), previousDurationMs: null, reasons: [] },
      {
        type: 'transition',
        url: tsd.url,
        from: 'healthy',
        to: 'down',
        changedAt: expect.any(String),
        previousDurationMs: 60_000,
        reasons: ['/api/version answered 503: stopping'],
      },
      { type: 'transition', url: tsd.url, from: 'down', to: 'healthy', changedAt: expect.any(String), previousDurationMs: 60_000, reasons: [] },
      { type: 'summary', command: 'health', schemaVersion: 1, rounds: 3 },
    ]);
    expect(r.stderr).toBe('');
  });
});
