// A standby that fails (HBase trouble: puts answered 500) holds the checkpoint back: the loop retries
// with backoff, the lag grows and shows it, no window is skipped, and once the standby recovers the
// next pass copies everything. A standby that refuses some points keeps its metric at its checkpoint.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { cli } from '../support/run-cli-in-process.js';
import { differences, snapshot } from '../support/compare-clusters.js';
import { putPoints } from '../support/put-points.js';
import { mixedPoints } from '../scenarios/replication.js';

describe('replication through standby failures (fake TSD)', () => {
  let primary: FakeTsd;
  let standby: FakeTsd;
  let dir: string;
  let failPuts = false;
  beforeAll(async () => {
    primary = await startFakeTsd({ autoCreateMetrics: true });
    standby = await startFakeTsd({
      faults: (req) =>
        failPuts && req.path.startsWith('/api/put')
          ? { status: 500, body: { error: { code: 500, message: 'org.hbase.async.RegionOfflineException' } } }
          : undefined,
    });
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-repl-faults-'));
  });
  afterAll(async () => Promise.all([primary.close(), standby.close(), rm(dir, { recursive: true, force: true })]));

  it('retries a pass that failed until it succeeds, never moving the checkpoint past what the standby did not confirm', async () => {
    const t0 = Date.now() - 3_600_000;
    await putPoints(primary.url, mixedPoints('faulty', t0, Date.now() - 1000, 60_000));
    const state = path.join(dir, 'state.json');
    failPuts = true;
    const once = await cli([
      'replicate',
      '--source',
      primary.url,
      '--target',
      standby.url,
      '--state',
      state,
      '--metric',
      'faulty.*',
      '--start',
      String(t0),
      '--settle',
      '0s',
      '--once',
      '--retries',
      '1',
      '--json',
    ]);
    expect(once.code).toBe(8);
    expect(once.stderr).toMatch(/could not be copied and stay at their checkpoints/);
    const saved = JSON.parse(await readFile(state, 'utf8')) as { checkpoints: Record<string, number> };
    expect(Object.keys(saved.checkpoints)).toEqual([]);

    const stop = new AbortController();
    const loop = cli(
      [
        'replicate',
        '--source',
        primary.url,
        '--target',
        standby.url,
        '--state',
        state,
        '--metric',
        'faulty.*',
        '--settle',
        '0s',
        '--interval',
        '1s',
        '--retries',
        '1',
        '--json',
      ],
      { signal: stop.signal },
    );
    await new Promise((r) => setTimeout(r, 1500));
    failPuts = false;
    const metrics = ['faulty.counter', 'faulty.gauge', 'faulty.mixed'];
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [a, b] = await Promise.all([snapshot(primary.url, metrics, t0 - 1000, Date.now()), snapshot(standby.url, metrics, t0 - 1000, Date.now())]);
      if (differences(a, b).length === 0) break;
      if (Date.now() > deadline) throw new Error(differences(a, b).join('\n'));
      await new Promise((r) => setTimeout(r, 200));
    }
    stop.abort();
    const r = await loop;
    expect(r.code).toBe(0);
    const cycles = r.json.filter((e) => e.type === 'cycle') as Array<{ failed: unknown[]; lagMs: number }>;
    // The first passes failed with the standby down, and the lag they reported covered the whole hour.
    expect(cycles[0]!.failed.length).toBe(3);
    expect(cycles[0]!.lagMs).toBeGreaterThan(3_500_000);
    expect(cycles.at(-1)!.failed).toEqual([]);
    expect(cycles.at(-1)!.lagMs).toBeLessThan(5000);
  });
});

describe('an interrupted pass (fake TSD)', () => {
  it('a --once pass stopped by SIGTERM exits 130 and does not report its metrics as failed', async () => {
    // Slow reads of the primary: the stop lands in the middle of one.
    const primary = await startFakeTsd({
      autoCreateMetrics: true,
      faults: async (req) => (req.path.startsWith('/api/query') ? new Promise((r) => setTimeout(() => r(undefined), 300)) : undefined),
    });
    const standby = await startFakeTsd();
    const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-repl-int-'));
    try {
      const t0 = Date.now() - 6 * 3_600_000;
      await putPoints(primary.url, mixedPoints('intr', t0, Date.now() - 1000, 20_000));
      const stop = new AbortController();
      const run = cli(
        [
          'replicate',
          '--source',
          primary.url,
          '--target',
          standby.url,
          '--state',
          path.join(dir, 's.json'),
          '--metric',
          'intr.*',
          '--start',
          String(t0),
          '--once',
          '--target-points',
          '200',
        ],
        { signal: stop.signal },
      );
      await new Promise((r) => setTimeout(r, 400));
      stop.abort(new Error('SIGTERM'));
      const r = await run;
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).not.toMatch(/tried again next cycle/);
    } finally {
      await Promise.all([primary.close(), standby.close(), rm(dir, { recursive: true, force: true })]);
    }
  });
});
