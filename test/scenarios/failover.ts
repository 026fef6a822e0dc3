// Failover and failback as the runbook (docs/DISASTER-RECOVERY.md) has an operator run them, with the
// primary really unreachable: replicate, lose the primary, fail over (the hook runs, what could not be
// copied is listed), write to the standby, bring the primary back, fail back, replicate again; and the
// replicator's own fault detection running its hook. On the fake TSD behind a switchable proxy
// (test/integration) and on real TSD processes that are stopped and started (test/e2e).

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/run-cli-in-process.js';
import { differences, pointCount, snapshot } from '../support/compare-clusters.js';
import { putPoints } from '../support/put-points.js';
import { mixedPoints } from './replication.js';

export interface FailoverClusters {
  primaryUrl: string;
  standbyUrl: string;
  /** Makes the primary refuse connections (a stopped TSD), and brings it back with its data. */
  stopPrimary(): Promise<void>;
  startPrimary(): Promise<void>;
}

const MIN = 60_000;

async function waitFor(what: string, ok: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function failoverScenarios(name: string, setup: () => Promise<FailoverClusters>): void {
  describe(`failover and failback (${name})`, () => {
    let c: FailoverClusters;
    let dir: string;
    const prefix = `fo${Date.now().toString(36)}`;
    const metrics = ['counter', 'gauge', 'mixed'].map((m) => `${prefix}.${m}`);
    const t0 = Math.floor((Date.now() - 2 * 3_600_000) / 1000) * 1000;
    const compareAll = async (): Promise<string[]> => {
      const end = Date.now() + MIN;
      const [a, b] = await Promise.all([snapshot(c.primaryUrl, metrics, t0 - MIN, end), snapshot(c.standbyUrl, metrics, t0 - MIN, end)]);
      expect(pointCount(a)).toBeGreaterThan(0);
      const diffs = differences(a, b, 1000);
      console.log(`[figure] ${name}, after failover, failback and replication: ${pointCount(a)} points compared, ${diffs.length} series differ`);
      return diffs;
    };

    beforeAll(async () => {
      c = await setup();
      dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-fo-'));
    });
    afterAll(async () => {
      await c?.startPrimary().catch(() => undefined);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('fails over with the primary down, lists what it could not copy, and fails back without losing a point', async () => {
      const state = path.join(dir, 'state.json');
      const hookLog = path.join(dir, 'hook.log');
      const hook = `echo "$TSDB_BACKUP_EVENT $TSDB_BACKUP_PRIMARY $TSDB_BACKUP_STANDBY" >> ${hookLog}`;
      const beforeCrash = Date.now() - 2 * MIN;
      await putPoints(c.primaryUrl, mixedPoints(prefix, t0, beforeCrash, MIN));
      const rep = ['replicate', '--source', c.primaryUrl, '--target', c.standbyUrl, '--state', state, '--metric', `${prefix}.*`, '--settle', '0s', '--once'];
      const first = await cli([...rep, '--start', String(t0)]);
      expect(first.code, first.stderr).toBe(0);
      // Points the standby never receives: written after the last pass, just before the primary dies.
      const unreplicated = mixedPoints(prefix, beforeCrash + 30_000, Date.now() - 1000, 10_000, 500);
      await putPoints(c.primaryUrl, unreplicated);
      await c.stopPrimary();

      const fo = await cli([
        'failover',
        '--from',
        c.primaryUrl,
        '--to',
        c.standbyUrl,
        '--state',
        state,
        '--hook',
        hook,
        '--json',
        '--retries',
        '1',
        '--timeout',
        '5s',
        '--settle',
        '1s',
      ]);
      expect(fo.code, fo.stderr).toBe(8);
      const result = fo.json.find((e) => e.type === 'summary' && e.command === 'failover')! as Record<string, unknown> & {
        uncopied: Array<{ metric: string }>;
        comparison: { skipped?: string };
        hook: { exitCode: number };
      };
      expect(result.switched).toBe(true);
      expect(result.uncopied.map((u) => u.metric).sort()).toEqual(metrics);
      expect(result.comparison.skipped).toMatch(/pass did not complete: .*ECONNREFUSED|pass did not complete: .*refused/i);
      expect(result.hook.exitCode).toBe(0);
      expect(await readFile(hookLog, 'utf8')).toContain(`failover ${c.primaryUrl}`);
      // Replication from the old primary is refused while the standby serves.
      const refused = await cli(rep);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/records a failover/);

      // Writers now go to the standby.
      const afterFailover = mixedPoints(prefix, Date.now() - 20_000, Date.now() - 1000, 5000, 900);
      await putPoints(c.standbyUrl, afterFailover);
      await c.startPrimary();

      const fb = await cli(['failback', '--from', c.standbyUrl, '--to', c.primaryUrl, '--state', state, '--hook', hook, '--json', '--settle', '1s']);
      expect(fb.code, fb.stderr).toBe(0);
      const back = fb.json.find((e) => e.type === 'summary' && e.command === 'failback')! as Record<string, unknown> & {
        comparison: { differences: unknown[] };
        pass: { pointsWritten: number };
      };
      expect(back.switched).toBe(true);
      expect(back.comparison.differences).toEqual([]);
      expect(back.pass.pointsWritten).toBe(afterFailover.length);
      expect(await readFile(hookLog, 'utf8')).toContain(`failback ${c.primaryUrl}`);

      // Replication resumes from the checkpoints before the failover: the points the standby never got arrive too.
      const again = await cli(rep);
      expect(again.code, again.stderr).toBe(0);
      expect(await compareAll()).toEqual([]);
    });

    it('fails over with the primary up: the final pass copies everything and the counts agree', async () => {
      const state = path.join(dir, 'up.json');
      const m = `${prefix}.up`;
      const start = Date.now() - 30 * MIN;
      await putPoints(
        c.primaryUrl,
        mixedPoints(`${prefix}.up`, start, Date.now() - 5 * MIN, MIN)
          .filter((p) => p.metric.endsWith('.gauge'))
          .map((p) => ({ ...p, metric: m })),
      );
      const first = await cli([
        'replicate',
        '--source',
        c.primaryUrl,
        '--target',
        c.standbyUrl,
        '--state',
        state,
        '--metric',
        m,
        '--settle',
        '0s',
        '--once',
        '--start',
        String(start),
      ]);
      expect(first.code, first.stderr).toBe(0);
      const late = mixedPoints(`${prefix}.up`, Date.now() - 90_000, Date.now() - 1000, 20_000, 300)
        .filter((p) => p.metric.endsWith('.gauge'))
        .map((p) => ({ ...p, metric: m }));
      await putPoints(c.primaryUrl, late);
      const fo = await cli(['failover', '--from', c.primaryUrl, '--to', c.standbyUrl, '--state', state, '--require-complete', '--json', '--settle', '1s']);
      expect(fo.code, fo.stdout + fo.stderr).toBe(0);
      const r = fo.json.find((e) => e.type === 'summary' && e.command === 'failover')! as {
        pass: { pointsWritten: number };
        comparison: { differences: unknown[]; compared: number };
      };
      expect(r.pass.pointsWritten).toBe(late.length);
      expect(r.comparison.compared).toBe(1);
      expect(r.comparison.differences).toEqual([]);
    });

    it('--failover-on-primary-down: the replicator records the failover itself and runs the failover hook', async () => {
      const state = path.join(dir, 'auto.json');
      const hookLog = path.join(dir, 'auto.log');
      const m = `${prefix}.auto`;
      const start = Date.now() - 10 * MIN;
      await putPoints(
        c.primaryUrl,
        mixedPoints(`${prefix}.auto`, start, Date.now() - 1000, MIN)
          .filter((p) => p.metric.endsWith('.gauge'))
          .map((p) => ({ ...p, metric: m })),
      );
      const run = cli([
        'replicate',
        '--source',
        c.primaryUrl,
        '--target',
        c.standbyUrl,
        '--state',
        state,
        '--metric',
        m,
        '--start',
        String(start),
        '--settle',
        '0s',
        '--interval',
        '2s',
        '--check-every',
        '1s',
        '--fail-after',
        '2',
        '--timeout',
        '3s',
        '--retries',
        '1',
        '--failover-on-primary-down',
        '--failover-hook',
        `echo "$TSDB_BACKUP_EVENT $TSDB_BACKUP_STANDBY" >> ${hookLog}`,
        '--json',
      ]);
      await waitFor('a first pass', async () =>
        (JSON.parse(await readFile(state, 'utf8').catch(() => '{}')) as { checkpoints?: object }).checkpoints ? true : false,
      );
      await c.stopPrimary();
      const r = await run;
      await c.startPrimary();
      // The primary is down, so the final pass could not read it: exit 8, and the list says from when.
      expect(r.code, r.stderr).toBe(8);
      const fo = r.json.find((e) => e.type === 'failover') as { switched: boolean; uncopied: Array<{ metric: string }>; hook: { exitCode: number } };
      expect(fo.switched).toBe(true);
      expect(fo.uncopied.map((u) => u.metric)).toEqual([m]);
      expect(fo.hook.exitCode).toBe(0);
      expect(await readFile(hookLog, 'utf8')).toBe(`failover ${c.standbyUrl}\n`);
      expect(JSON.parse(await readFile(state, 'utf8')).failover.at).toBeGreaterThan(start);
    });

    it('the replicator declares the primary down after --fail-after failed checks and runs its hook once', async () => {
      const state = path.join(dir, 'watch.json');
      const statusFile = path.join(dir, 'watch.prom');
      const hookLog = path.join(dir, 'down.log');
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
          '--interval',
          '2s',
          '--check-every',
          '1s',
          '--fail-after',
          '3',
          '--timeout',
          '3s',
          '--retries',
          '1',
          '--on-primary-down',
          `echo "$TSDB_BACKUP_EVENT $TSDB_BACKUP_DOWN_SINCE" >> ${hookLog}`,
          '--status-file',
          statusFile,
          '--json',
        ],
        { signal: stop.signal },
      );
      await waitFor('a first pass', async () => (await readFile(statusFile, 'utf8').catch(() => '')).includes('tsdb_backup_replication_last_cycle_success'));
      const downAt = Date.now();
      await c.stopPrimary();
      await waitFor('the hook', async () => (await readFile(hookLog, 'utf8').catch(() => '')).includes('primary-down'));
      const hookAfterMs = Date.now() - downAt;
      await waitFor('the status file', async () => /tsdb_backup_replication_primary_up\{[^}]*\} 0/.test(await readFile(statusFile, 'utf8')));
      await c.startPrimary();
      await waitFor(
        'the primary to be seen again',
        async () => /tsdb_backup_replication_primary_up\{[^}]*\} 1/.test(await readFile(statusFile, 'utf8')),
        120_000,
      );
      stop.abort();
      const r = await run;
      expect(r.code, r.stderr).toBe(0);
      const events = r.json.map((e) => e.type);
      expect(events.filter((t) => t === 'primary-down')).toHaveLength(1);
      expect(events.filter((t) => t === 'hook')).toHaveLength(1);
      expect(events).toContain('primary-up');
      expect((await readFile(hookLog, 'utf8')).trim().split('\n')).toHaveLength(1);
      console.log(`[figure] primary down -> hook ran after ${hookAfterMs} ms (--check-every 1s --fail-after 3)`);
    });
  });
}
