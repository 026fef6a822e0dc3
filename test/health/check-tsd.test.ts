import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { checkTsd, checkTsds, type HealthOptions } from '../../src/health/check-tsd.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { closedPort } from '../support/closed-port.js';
import { startFakeTsd, type FakeTsd, type FakeTsdOptions, type FaultRequest, type FaultResponse } from '../support/fake-tsd/index.js';

const CANARY = 'tsdb.backup.canary';
const opts: HealthOptions = { canaryMetric: CANARY, host: hostname(), readOnly: false, slowMs: 2000 };
const deps = { now: () => new Date() };
const tsds: FakeTsd[] = [];

async function fake(o: FakeTsdOptions = {}): Promise<FakeTsd> {
  const t = await startFakeTsd(o);
  tsds.push(t);
  return t;
}

function client(url: string, timeoutMs = 5000): TsdClient {
  return new TsdClient({ url, timeoutMs, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
}

/** A fault answering `status` on requests whose path starts with `prefix` (and that `also` accepts). */
function failing(prefix: string, status: number, message = 'org.hbase.async.RegionOfflineException', also: (r: FaultRequest) => boolean = () => true) {
  return (r: FaultRequest): FaultResponse | undefined =>
    r.path.startsWith(prefix) && also(r) ? { status, body: { error: { code: status, message } } } : undefined;
}

const isReadBack = (r: FaultRequest): boolean => r.body.toString().includes('"explicitTags":true');

afterEach(async () => {
  await Promise.all(tsds.splice(0).map((t) => t.close()));
});

describe('health check of one TSD', () => {
  it('healthy: the canary is written with ?details&sync and read back exactly (value = its ms timestamp, host tag)', async () => {
    const tsd = await fake({ autoCreateMetrics: true });
    const h = await checkTsd(client(tsd.url), opts, deps);
    expect(h).toMatchObject({ url: tsd.url, verdict: 'healthy', reasons: [], version: '2.4.1' });
    expect(h.steps.map((s) => [s.name, s.ok])).toEqual([
      ['version', true],
      ['config', true],
      ['suggest', true],
      ['query', true],
      ['put', true],
      ['read-back', true],
    ]);
    expect(h.steps.find((s) => s.name === 'query')?.note).toBe('the canary metric does not exist yet');
    expect(h.canary).toEqual({ metric: CANARY, tags: { host: hostname() }, timestamp: expect.any(Number), value: h.canary!.timestamp });
    expect(tsd.dump()).toEqual([
      expect.objectContaining({
        metric: CANARY,
        tags: { host: hostname() },
        points: [{ ts: h.canary!.timestamp, kind: 'int', text: String(h.canary!.timestamp) }],
      }),
    ]);
    expect(tsd.stats.requests.some((r) => r.path === '/api/put?details&sync')).toBe(true);
    expect(h.limits).toMatchObject({ autoCreateMetrics: true, chunkedRequests: false, readOnly: false });
  });

  it('a TSD without metric auto-creation gets the canary metric created first (and only once)', async () => {
    const tsd = await fake();
    const first = await checkTsd(client(tsd.url), opts, deps);
    expect(first.verdict).toBe('healthy');
    expect(first.steps.find((s) => s.name === 'assign')).toMatchObject({ ok: true, note: 'created 1 name(s)' });
    expect(tsd.uids().metrics.map((m) => m.name)).toEqual([CANARY]);
    const second = await checkTsd(client(tsd.url), opts, deps);
    expect(second.steps.find((s) => s.name === 'assign')).toMatchObject({ ok: true, note: 'the names exist' });
    expect(second.steps.find((s) => s.name === 'query')?.note).toBe('1 canary point(s) in the last 10 min');
  });

  it('--read-only: no write and no name created, on a TSD that does not auto-create', async () => {
    const tsd = await fake();
    const h = await checkTsd(client(tsd.url), { ...opts, readOnly: true }, deps);
    expect(h.verdict).toBe('healthy');
    expect(h.steps.map((s) => s.name)).toEqual(['version', 'config', 'suggest', 'query']);
    expect(h.canary).toBeNull();
    expect(tsd.uids().metrics).toEqual([]);
    expect(tsd.stats.puts).toBe(0);
  });

  it('down: nothing listens (refused); only /api/version was tried', async () => {
    const h = await checkTsd(client(`http://127.0.0.1:${await closedPort()}`), opts, deps);
    expect(h).toMatchObject({ verdict: 'down', version: null, limits: null, canary: null });
    expect(h.reasons).toEqual([expect.stringMatching(/^cannot reach the TSD: .*ECONNREFUSED/)]);
    expect(h.steps).toEqual([{ name: 'version', ok: false, ms: expect.any(Number), error: expect.stringContaining('ECONNREFUSED') }]);
  });

  it('down: /api/version answers 5xx (e.g. a proxy in front of a dead TSD)', async () => {
    const tsd = await fake({ faults: failing('/api/version', 503, 'no healthy upstream') });
    const h = await checkTsd(client(tsd.url), opts, deps);
    expect(h.verdict).toBe('down');
    expect(h.reasons).toEqual(['/api/version answered 503: no healthy upstream']);
  });

  it('down: /api/version does not answer within the timeout', async () => {
    const tsd = await fake({
      faults: async (r) => (r.path === '/api/version' ? new Promise<undefined>((res) => setTimeout(() => res(undefined), 1500)) : undefined),
    });
    const h = await checkTsd(client(tsd.url, 200), opts, deps);
    expect(h.verdict).toBe('down');
    expect(h.reasons).toEqual(['/api/version timed out (no complete answer within 200 ms)']);
  });

  it('degraded, not down: /api/version answers 4xx (the API answers, but not as a TSD does); the other steps still run', async () => {
    const tsd = await fake({ faults: failing('/api/version', 401, 'authentication required') });
    const h = await checkTsd(client(tsd.url), opts, deps);
    expect(h.verdict).toBe('degraded');
    expect(h.reasons).toEqual(['/api/version answered 401: authentication required']);
    expect(h.steps.filter((s) => s.ok).map((s) => s.name)).toEqual(['config', 'suggest', 'query', 'assign', 'put', 'read-back']);
  });

  it('degraded: a query answering 424 is reported as HBase trouble', async () => {
    const tsd = await fake({ faults: failing('/api/query', 424, 'org.hbase.async.RegionOfflineException: region offline', (r) => !isReadBack(r)) });
    const h = await checkTsd(client(tsd.url), opts, deps);
    expect(h.verdict).toBe('degraded');
    expect(h.reasons).toEqual(['HBase trouble: query answered 424: org.hbase.async.RegionOfflineException: region offline']);
    expect(h.steps.find((s) => s.name === 'query')).toMatchObject({ ok: false, error: 'answered 424: org.hbase.async.RegionOfflineException: region offline' });
  });

  it('degraded: a put answering 500 is HBase trouble, and nothing is read back', async () => {
    const tsd = await fake({ faults: failing('/api/put', 500, 'Failed to store the point') });
    const h = await checkTsd(client(tsd.url), opts, deps);
    expect(h.verdict).toBe('degraded');
    expect(h.reasons).toEqual(['HBase trouble: put answered 500: Failed to store the point']);
    expect(h.steps.map((s) => s.name)).not.toContain('read-back');
  });

  it('degraded: a suggest that times out is HBase trouble (the API answered /api/version)', async () => {
    const tsd = await fake({
      faults: async (r) => (r.path.startsWith('/api/suggest') ? new Promise<undefined>((res) => setTimeout(() => res(undefined), 1500)) : undefined),
    });
    const h = await checkTsd(client(tsd.url, 300), opts, deps);
    expect(h.verdict).toBe('degraded');
    expect(h.reasons).toEqual(['HBase trouble: suggest timed out (no complete answer within 300 ms)']);
  });

  it('degraded: /api/config fails (not HBase trouble: the TSD answers it from memory); the names are created anyway', async () => {
    const tsd = await fake({ autoCreateMetrics: true, faults: failing('/api/config', 500, 'NullPointerException') });
    const h = await checkTsd(client(tsd.url), opts, deps);
    expect(h.verdict).toBe('degraded');
    expect(h.reasons).toEqual(['config answered 500: NullPointerException']);
    expect(h.limits).toBeNull();
    expect(h.steps.filter((s) => s.ok).map((s) => s.name)).toEqual(['version', 'suggest', 'query', 'assign', 'put', 'read-back']);
  });

  it('degraded: the TSD refuses the canary point (put details)', async () => {
    const tsd = await fake({
      faults: (r) =>
        r.path.startsWith('/api/put') ? { status: 400, body: { success: 0, failed: 1, errors: [{ datapoint: {}, error: 'Unknown metric' }] } } : undefined,
    });
    const h = await checkTsd(client(tsd.url), opts, deps);
    expect(h.verdict).toBe('degraded');
    expect(h.reasons).toEqual(['put failed: the TSD did not store the canary: Unknown metric']);
  });

  it('degraded: the canary read back has another value', async () => {
    const tsd = await fake({
      faults: (r) => {
        if (!isReadBack(r)) return undefined;
        const q = JSON.parse(r.body.toString()) as { start: number };
        return { status: 200, body: [{ metric: CANARY, tags: { host: hostname() }, aggregateTags: [], dps: [[q.start, 42]] }] };
      },
    });
    const h = await checkTsd(client(tsd.url), opts, deps);
    expect(h.verdict).toBe('degraded');
    const at = new Date(h.canary!.timestamp).toISOString();
    expect(h.reasons).toEqual([`the canary read back differs: 42 at ${at} instead of ${h.canary!.timestamp}`]);
    expect(h.steps.at(-1)).toMatchObject({ name: 'read-back', ok: false, error: `read back 42 at ${at} instead of ${h.canary!.timestamp}` });
  });

  it('degraded: the canary is not there after the TSD acknowledged it', async () => {
    const tsd = await fake({ faults: (r) => (isReadBack(r) ? { status: 200, body: [] } : undefined) });
    const h = await checkTsd(client(tsd.url), opts, deps);
    expect(h.reasons).toEqual([`the canary read back differs: no point at ${new Date(h.canary!.timestamp).toISOString()} after the TSD acknowledged it`]);
  });

  it('degraded: the canary metric cannot be created', async () => {
    const tsd = await fake({
      faults: (r) => (r.path.startsWith('/api/uid/assign') ? { status: 400, body: { metric_errors: { [CANARY]: 'Invalid metric name' } } } : undefined),
    });
    const h = await checkTsd(client(tsd.url), opts, deps);
    expect(h.verdict).toBe('degraded');
    expect(h.reasons).toEqual([`assign failed: ${tsd.url} refused to create metric '${CANARY}': Invalid metric name`]);
    expect(h.canary).toBeNull();
  });

  it('degraded: a step slower than --slow', async () => {
    const tsd = await fake({
      faults: async (r) => (r.path.startsWith('/api/suggest') ? new Promise<undefined>((res) => setTimeout(() => res(undefined), 300)) : undefined),
    });
    const h = await checkTsd(client(tsd.url), { ...opts, slowMs: 150 }, deps);
    expect(h.verdict).toBe('degraded');
    expect(h.reasons).toEqual([expect.stringMatching(/^suggest took 3\d\d ms, slower than 150 ms$/)]);
    expect(h.steps.every((s) => s.ok)).toBe(true);
  });

  it('degraded: a write check asked of a TSD in tsd.mode=ro; healthy with --read-only', async () => {
    const tsd = await fake({ readOnly: true });
    const h = await checkTsd(client(tsd.url), opts, deps);
    expect(h.verdict).toBe('degraded');
    expect(h.reasons).toEqual(['a write check was asked for, but the TSD runs with tsd.mode=ro (use --read-only to check reads only)']);
    expect(h.limits?.readOnly).toBe(true);
    expect((await checkTsd(client(tsd.url), { ...opts, readOnly: true }, deps)).verdict).toBe('healthy');
  });

  it('an interruption is thrown, not reported as a finding', async () => {
    const tsd = await fake();
    const ac = new AbortController();
    ac.abort(new Error('SIGTERM'));
    await expect(checkTsd(client(tsd.url), opts, { ...deps, signal: ac.signal })).rejects.toBeInstanceOf(InterruptedError);
  });

  it('several TSDs are checked at once, results in the order given', async () => {
    const slow = async (r: FaultRequest): Promise<undefined> =>
      r.path === '/api/version' ? new Promise((res) => setTimeout(() => res(undefined), 400)) : undefined;
    const [a, b] = [await fake({ faults: slow }), await fake({ faults: slow })];
    const t0 = Date.now();
    const results = await checkTsds([client(a.url), client(`http://127.0.0.1:${await closedPort()}`), client(b.url)], { ...opts, readOnly: true }, deps);
    expect(Date.now() - t0).toBeLessThan(800);
    expect(results.map((r) => [r.url === a.url || r.url === b.url ? 'fake' : 'closed', r.verdict])).toEqual([
      ['fake', 'healthy'],
      ['closed', 'down'],
      ['fake', 'healthy'],
    ]);
    expect(results[0]!.url).toBe(a.url);
  });
});
