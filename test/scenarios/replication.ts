// Replication as an operator runs it: catch up a standby from --start, follow new and late points,
// pick up a metric that appears later, stop the loop with a signal, and the fault detection hook. The
// same scenarios run on the in-process fake TSD (test/integration) and on the real OpenTSDB (test/e2e).
// Each run uses its own metric prefix, so that clusters shared with other tests do not matter.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/run-cli-in-process.js';
import { differences, pointCount, snapshot } from '../support/compare-clusters.js';
import { putPoints } from '../support/put-points.js';
import type { SeedPoint } from '../support/dataset.js';

export interface ReplicationClusters {
  primaryUrl: string;
  standbyUrl: string;
}

const MIN = 60_000;

/** Values that test fidelity: 64-bit integers, integral floats, ints right before floats, ms timestamps. */
export function mixedPoints(prefix: string, from: number, to: number, stepMs: number, seed = 1): SeedPoint[] {
  const out: SeedPoint[] = [];
  let i = seed;
  for (let t = from; t <= to; t += stepMs) {
    i++;
    out.push({ metric: `${prefix}.counter`, tags: { host: 'a' }, timestamp: t, value: String(9007199254740993n + BigInt(i) * 2n) });
    out.push({ metric: `${prefix}.gauge`, tags: { host: 'a', dc: 'x' }, timestamp: t + 1, value: i % 3 === 0 ? `${i}.0` : `${i}.25` });
    out.push({ metric: `${prefix}.gauge`, tags: { host: 'b', dc: 'x' }, timestamp: t + 7, value: i % 2 === 0 ? String(i) : `${i}.5` });
    out.push({ metric: `${prefix}.mixed`, tags: { host: 'a' }, timestamp: t, value: i % 4 === 0 ? '0.1' : i % 4 === 1 ? '-9223372036854775808' : `${i}.0` });
  }
  return out;
}

export function replicationScenarios(name: string, setup: () => Promise<ReplicationClusters>): void {
  describe(`replication (${name})`, () => {
    let c: ReplicationClusters;
    let dir: string;
    const prefix = `repl${Date.now().toString(36)}`;
    const metrics = ['counter', 'gauge', 'mixed', 'late'].map((m) => `${prefix}.${m}`);
    const now = Date.now();
    const t0 = Math.floor((now - 3 * 3_600_000) / 1000) * 1000;
    const compare = async (): Promise<{ diffs: string[]; points: number }> => {
      const [a, b] = await Promise.all([
        snapshot(c.primaryUrl, metrics, t0 - 3_600_000, Date.now() + 60_000),
        snapshot(c.standbyUrl, metrics, t0 - 3_600_000, Date.now() + 60_000),
      ]);
      return { diffs: differences(a, b), points: pointCount(a) };
    };

    beforeAll(async () => {
      c = await setup();
      dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-repl-'));
    });
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('catches up from --start exactly, then copies only what is new or late', async () => {
      await putPoints(c.primaryUrl, mixedPoints(prefix, t0, now - 30_000, MIN));
      const state = path.join(dir, 'state.json');
      const args = [
        'replicate',
        '--source',
        c.primaryUrl,
        '--target',
        c.standbyUrl,
        '--state',
        state,
        '--metric',
        `${prefix}.*`,
        '--settle',
        '0s',
        '--once',
        '--json',
      ];
      const first = await cli([...args, '--start', String(t0)]);
      expect(first.code, first.stderr).toBe(0);
      const firstCycle = first.json.find((e) => e.type === 'cycle')!;
      let cmp = await compare();
      expect(cmp.diffs).toEqual([]);
      expect(cmp.points).toBeGreaterThan(700);
      expect(firstCycle.pointsWritten).toBe(cmp.points);

      // New points, a late point inside the overlap, and a metric that appears later with history.
      const late: SeedPoint = { metric: `${prefix}.gauge`, tags: { host: 'a', dc: 'x' }, timestamp: now - 90_000, value: '42' };
      const newMetric: SeedPoint[] = [
        { metric: `${prefix}.late`, tags: { host: 'z' }, timestamp: t0 + 5 * MIN, value: '1.5' },
        { metric: `${prefix}.late`, tags: { host: 'z' }, timestamp: now - MIN, value: '7' },
      ];
      const fresh = mixedPoints(prefix, now - MIN + 500, now, 20_000, 1000);
      await putPoints(c.primaryUrl, [late, ...newMetric, ...fresh]);
      const second = await cli(args);
      expect(second.code, second.stderr).toBe(0);
      cmp = await compare();
      expect(cmp.diffs).toEqual([]);
      const cycle = second.json.find((e) => e.type === 'cycle')!;
      // Points read again in the overlap are not written again: only the new, the late and the new metric's.
      expect(cycle.pointsWritten as number).toBeLessThan(cycle.pointsRead as number);
      expect(cycle.pointsWritten).toBe(fresh.length + newMetric.length + 1);
      const saved = JSON.parse(await readFile(state, 'utf8')) as { checkpoints: Record<string, number> };
      expect(Object.keys(saved.checkpoints).sort()).toEqual(metrics.slice().sort());
    });

    it('an integer copied while it was the newest point stays an integer when a float arrives after it', async () => {
      // Read again later, the integer prints as "2.0" (followed by a float, after a float): written again
      // as a float it would give the standby two values for one timestamp and break every query.
      const m = `${prefix}.flip`;
      const base = Math.floor((Date.now() - 60_000) / 1000) * 1000;
      await putPoints(c.primaryUrl, [
        { metric: m, tags: { h: '1' }, timestamp: base, value: '1.5' },
        { metric: m, tags: { h: '1' }, timestamp: base + 1000, value: '2' },
      ]);
      const state = path.join(dir, 'flip.json');
      const args = ['replicate', '--source', c.primaryUrl, '--target', c.standbyUrl, '--state', state, '--metric', m, '--settle', '0s', '--once', '--json'];
      expect((await cli([...args, '--start', String(base)])).code).toBe(0);
      await putPoints(c.primaryUrl, [{ metric: m, tags: { h: '1' }, timestamp: base + 2000, value: '3.5' }]);
      for (const run of [args, args]) {
        const r = await cli(run);
        expect(r.code, r.stderr).toBe(0);
      }
      const [a, b] = await Promise.all([snapshot(c.primaryUrl, [m], base - 1000, base + 5000), snapshot(c.standbyUrl, [m], base - 1000, base + 5000)]);
      expect(differences(a, b)).toEqual([]);
      expect(pointCount(b)).toBe(3);
    });

    it('refuses a first run without --start, and a state file of another pair', async () => {
      const state = path.join(dir, 'new.json');
      const r = await cli(['replicate', '--source', c.primaryUrl, '--target', c.standbyUrl, '--state', state, '--once']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/first run needs --start/);
      const other = await cli([
        'replicate',
        '--source',
        c.standbyUrl,
        '--target',
        c.primaryUrl,
        '--state',
        path.join(dir, 'state.json'),
        '--metric',
        `${prefix}.*`,
        '--once',
      ]);
      expect(other.code).toBe(2);
      expect(other.stderr).toMatch(/is for .* not /);
    });

    it('the loop follows new points, reports lag in the status file, and stops on a signal with exit 0', async () => {
      const state = path.join(dir, 'loop.json');
      const statusFile = path.join(dir, 'loop.prom');
      const stop = new AbortController();
      const run = cli(
        [
          'replicate',
          '--source',
          c.primaryUrl,
          '--target',
          c.standbyUrl,
          '--state',
          state,
          '--metric',
          `${prefix}.*`,
          '--start',
          String(t0),
          '--settle',
          '0s',
          '--interval',
          '1s',
          '--status-file',
          statusFile,
          '--json',
        ],
        { signal: stop.signal },
      );
      const extra: SeedPoint[] = [{ metric: `${prefix}.counter`, tags: { host: 'loop' }, timestamp: Date.now() - 1000, value: '123456789012345678' }];
      await putPoints(c.primaryUrl, extra);
      const deadline = Date.now() + 60_000;
      let cmp = await compare();
      while (cmp.diffs.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        cmp = await compare();
      }
      expect(cmp.diffs).toEqual([]);
      stop.abort();
      const r = await run;
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.some((e) => e.type === 'stopped')).toBe(true);
      const prom = await readFile(statusFile, 'utf8');
      const lag = /tsdb_backup_replication_lag_seconds\{[^}]*\} (\d+)/.exec(prom);
      expect(lag, prom).not.toBeNull();
      expect(Number(lag![1])).toBeLessThan(120);
      expect(prom).toMatch(/tsdb_backup_replication_primary_up\{[^}]*\} 1/);
    });
  });
}
