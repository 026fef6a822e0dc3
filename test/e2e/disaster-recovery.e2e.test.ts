// docs/DISASTER-RECOVERY.md, executed: every scenario of the runbook, command for command, against the
// real OpenTSDB 2.4.1, with the failures made real. The primary is a TSD process of this file on the
// harness's `source` tables (stopped with SIGTERM when it "goes down"), the standby the shared target
// TSD (OpenTSDB defaults); lost data is deleted from HBase with OpenTSDB's delete query. Each scenario
// uses metrics of its own, so that the shared tables' other data does not matter, and ends by
// comparing every point of its metrics between the clusters that must agree.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { failoverScenarios } from '../scenarios/failover.js';
import { mixedPoints } from '../scenarios/replication.js';
import { differences, pointCount, snapshot, type ClusterSnapshot } from '../support/compare-clusters.js';
import type { SeedPoint } from '../support/dataset.js';
import { deleteRange } from '../support/delete-range.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { startExtraTsd, type ExtraTsd } from './harness/extra-tsd.js';
import { summaryOf } from '../support/json-output.js';

const skipped = inject('e2eSkipped');
const launch = inject('tsdLaunch');
const MIN = 60_000;
const HOUR = 60 * MIN;
/** The runbook's repository is encrypted (`tsdb-backup init`); its commands get the password from TSDB_BACKUP_PASSWORD. */
const PASSWORD = 'correct horse battery staple (runbook)';
const withPassword = { env: { TSDB_BACKUP_PASSWORD: PASSWORD } };

/** Compares every point of `metrics` between two clusters; logs the figure the issue asks for. */
async function agree(label: string, a: string, b: string, metrics: string[], start: number, end: number): Promise<{ diffs: string[]; points: number }> {
  const [x, y] = await Promise.all([snapshot(a, metrics, start, end), snapshot(b, metrics, start, end)]);
  const diffs = differences(x, y, 1000);
  console.log(`[figure] ${label}: ${pointCount(x)} points compared, ${diffs.length} series differ`);
  return { diffs, points: pointCount(x) };
}

/**
 * The runbook's delete of whole hours: OpenTSDB's delete query, as an operator sends it with curl. With
 * duplicates in the rows it answers 400 "Duplicate timestamp" but deletes them anyway; a compaction in
 * flight may bring points back, so it is repeated until a query of the hours stays empty.
 */
async function deleteHours(url: string, metric: string, start: number, end: number): Promise<void> {
  const body = (extra: object) => JSON.stringify({ start, end, msResolution: true, ...extra, queries: [{ aggregator: 'none', metric }] });
  for (let attempt = 0; attempt < 6; attempt++) {
    const del = await fetch(`${url}/api/query`, { method: 'POST', body: body({ delete: true }) });
    expect([200, 400]).toContain(del.status);
    let empty = 0;
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 1500));
      const q = await fetch(`${url}/api/query`, { method: 'POST', body: body({}) });
      const text = await q.text();
      empty = q.status === 200 && text.trim() === '[]' ? empty + 1 : 0;
    }
    if (empty >= 2) return;
  }
  throw new Error(`the delete query did not empty ${metric} in the range`);
}

describe.skipIf(skipped || !launch)('disaster recovery runbook (real OpenTSDB 2.4.1)', () => {
  const standby = inject('targetUrl');
  let primary: ExtraTsd;
  let dir: string;
  const run = Date.now().toString(36);

  beforeAll(async () => {
    primary = await startExtraTsd(launch!, 'source', { name: `dr-primary-${run}` });
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-dr-'));
  });
  afterAll(async () => {
    await primary?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // 1. The primary TSD is down: fail over, write to the standby, fail back, replicate again.
  failoverScenarios('1: primary TSD stopped for real', async () => ({
    primaryUrl: primary.url,
    standbyUrl: standby,
    stopPrimary: async () => {
      await primary.stop();
    },
    startPrimary: async () => {
      if (!primary.running) await primary.start();
    },
  }));

  it('2: a table or region is lost: restore from the repository, then replicate the gap from the standby', async () => {
    const prefix = `dr2${run}`;
    const metrics = ['counter', 'gauge', 'mixed'].map((m) => `${prefix}.${m}`);
    const repo = path.join(dir, 'repo2');
    const t0 = Math.floor((Date.now() - 4 * HOUR) / HOUR) * HOUR;
    const backupEnd = Date.now() - 20 * MIN;
    await putPoints(primary.url, mixedPoints(prefix, t0, backupEnd - 1000, MIN));
    // The setup: an encrypted repository, backups of the primary, and a replicator keeping the standby current.
    await initRepo(repo, { password: PASSWORD });
    const full = await cli(
      ['full', '--source', primary.url, '--repo', repo, '--metric', `${prefix}.*`, '--start', String(t0), '--end', String(backupEnd), '--quiet'],
      withPassword,
    );
    expect(full.code, full.stderr).toBe(0);
    const rep = [
      'replicate',
      '--source',
      primary.url,
      '--target',
      standby,
      '--state',
      path.join(dir, 'standby2.json'),
      '--metric',
      `${prefix}.*`,
      '--settle',
      '0s',
      '--once',
    ];
    await putPoints(primary.url, mixedPoints(prefix, Date.now() - 15 * MIN, Date.now() - 1000, 30_000, 77));
    expect((await cli([...rep, '--start', String(t0)])).code).toBe(0);
    const before = await snapshot(primary.url, metrics, t0, Date.now() + MIN);

    // The loss: every point of these metrics gone from the primary's table.
    for (const m of metrics) await deleteRange(primary.url, m, t0, Date.now() + MIN);
    expect(pointCount(await snapshot(primary.url, metrics, t0, Date.now() + MIN))).toBe(0);

    // The runbook: restore the newest backup, then the time after it from the standby.
    const restore = await cli(['restore', '--repo', repo, '--target', primary.url, '--metric', `${prefix}.*`, '--json'], withPassword);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.json.find((j) => j.type === 'summary')).toMatchObject({ failed: 0, written: expect.any(Number) });
    const gap = await cli([
      'replicate',
      '--source',
      standby,
      '--target',
      primary.url,
      '--state',
      path.join(dir, 'gap2.json'),
      '--metric',
      `${prefix}.*`,
      '--start',
      String(backupEnd - 10 * MIN),
      '--settle',
      '0s',
      '--once',
      '--json',
    ]);
    expect(gap.code, gap.stderr).toBe(0);
    // Points the restore put back are not written again: only the gap.
    const cycle = gap.json.find((e) => e.type === 'cycle') as { pointsWritten: number; pointsRead: number };
    expect(cycle.pointsWritten).toBeLessThan(cycle.pointsRead);

    const after = await snapshot(primary.url, metrics, t0, Date.now() + MIN);
    expect(differences(before, after)).toEqual([]);
    const { diffs, points } = await agree('scenario 2 (restored primary vs standby)', primary.url, standby, metrics, t0, Date.now() + MIN);
    expect(diffs).toEqual([]);
    expect(points).toBe(pointCount(before));
  });

  it('3: bad data was written: delete the range, restore it as it was before with --at', async () => {
    const metric = `dr3${run}.temp`;
    const repo = path.join(dir, 'repo3');
    const t0 = Math.floor((Date.now() - 5 * HOUR) / HOUR) * HOUR;
    const good: SeedPoint[] = [];
    for (let t = t0, i = 0; t < t0 + 4 * HOUR; t += MIN, i++) {
      for (const host of ['a', 'b'])
        good.push({
          metric,
          tags: { host },
          timestamp: t + (host === 'b' ? 250 : 0),
          value: i % 5 === 0 ? `${i}.0` : i % 7 === 0 ? '9223372036854775807' : `${i}.5`,
        });
    }
    await putPoints(primary.url, good);
    const goodSnapshot: ClusterSnapshot = await snapshot(primary.url, [metric], t0, t0 + 4 * HOUR);
    expect(pointCount(goodSnapshot)).toBe(good.length);
    await initRepo(repo, { password: PASSWORD });
    const full = await cli(
      ['full', '--source', primary.url, '--repo', repo, '--metric', metric, '--start', String(t0), '--end', 'now', '--quiet'],
      withPassword,
    );
    expect(full.code, full.stderr).toBe(0);
    const beforeBad = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 1100));

    // The bad write: wrong values at existing timestamps and junk between them, in hour 2.
    const badFrom = t0 + HOUR + 10 * MIN;
    const badTo = t0 + 2 * HOUR - 10 * MIN;
    const bad: SeedPoint[] = [];
    for (let t = badFrom; t <= badTo; t += 30_000) bad.push({ metric, tags: { host: 'a' }, timestamp: t, value: '-1' });
    await putPoints(primary.url, bad);
    const broken = await fetch(`${primary.url}/api/query`, {
      method: 'POST',
      body: JSON.stringify({ start: badFrom, end: badTo, msResolution: true, queries: [{ aggregator: 'none', metric }] }),
    });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toMatch(/Duplicate timestamp/);

    // The runbook: delete the whole hours the bad range touches, restore them from before the bad write.
    const hourStart = Math.floor(badFrom / HOUR) * HOUR;
    const hourEnd = Math.ceil((badTo + 1) / HOUR) * HOUR - 1;
    // The delete query's end one second before the last hour's end: 2.4.1 scans (and deletes) up to
    // the hour after end + 1 s, so an end at xx:59:59.999 would delete the next hour too.
    await deleteHours(primary.url, metric, hourStart, hourEnd - 1000);
    const restore = await cli(
      [
        'restore',
        '--repo',
        repo,
        '--target',
        primary.url,
        '--at',
        beforeBad,
        '--metric',
        metric,
        '--start',
        String(hourStart),
        '--end',
        String(hourEnd),
        '--quiet',
      ],
      withPassword,
    );
    expect(restore.code, restore.stderr).toBe(0);

    const after = await snapshot(primary.url, [metric], t0, t0 + 4 * HOUR);
    const diffs = differences(goodSnapshot, after, 1000);
    console.log(`[figure] scenario 3 (restored range vs before the bad write): ${pointCount(goodSnapshot)} points compared, ${diffs.length} series differ`);
    expect(diffs).toEqual([]);
  });

  it('4: the whole data centre is lost: fail over, new cluster, restore, replicate, switch', async () => {
    const prefix = `dr4${run}`;
    const metrics = ['counter', 'gauge', 'mixed'].map((m) => `${prefix}.${m}`);
    const repo = path.join(dir, 'repo4');
    const t0 = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR;
    if (!primary.running) await primary.start();
    await putPoints(primary.url, mixedPoints(prefix, t0, Date.now() - 20 * MIN, MIN));
    await initRepo(repo, { password: PASSWORD });
    const full = await cli(['full', '--source', primary.url, '--repo', repo, '--metric', `${prefix}.*`, '--start', String(t0), '--json'], withPassword);
    expect(full.code, full.stderr).toBe(0);
    const backupEnd = summaryOf(full).end as number;
    const standbyState = path.join(dir, 'standby4.json');
    expect(
      (
        await cli([
          'replicate',
          '--source',
          primary.url,
          '--target',
          standby,
          '--state',
          standbyState,
          '--metric',
          `${prefix}.*`,
          '--settle',
          '0s',
          '--once',
          '--start',
          String(t0),
        ])
      ).code,
    ).toBe(0);

    // The data centre goes: the primary's TSD stops and its data is gone with its HBase.
    await primary.stop();
    const failover = await cli(['failover', '--from', primary.url, '--to', standby, '--state', standbyState, '--timeout', '5s', '--retries', '1', '--json']);
    // Exit 8: the primary is down, so the final pass lists what never reached the standby.
    expect(failover.code, failover.stderr).toBe(8);
    expect((failover.json.find((e) => e.type === 'summary' && e.command === 'failover') as { switched: boolean }).switched).toBe(true);
    // Writers reach the standby now.
    await putPoints(standby, mixedPoints(prefix, Date.now() - 5 * MIN, Date.now() - 1000, 20_000, 400));

    // A new cluster: a TSD on fresh tables (the harness's source tables, emptied of these metrics).
    const fresh = await startExtraTsd(launch!, 'source', { name: `dr-new-${run}` });
    try {
      for (const m of metrics) await deleteRange(fresh.url, m, t0, Date.now() + MIN);
      const restore = await cli(['restore', '--repo', repo, '--target', fresh.url, '--metric', `${prefix}.*`, '--quiet'], withPassword);
      expect(restore.code, restore.stderr).toBe(0);
      const newState = path.join(dir, 'new4.json');
      const rep = await cli([
        'replicate',
        '--source',
        standby,
        '--target',
        fresh.url,
        '--state',
        newState,
        '--metric',
        `${prefix}.*`,
        '--start',
        String(backupEnd - 10 * MIN),
        '--settle',
        '0s',
        '--once',
      ]);
      expect(rep.code, rep.stderr).toBe(0);
      const sw = await cli(['failover', '--from', standby, '--to', fresh.url, '--state', newState, '--require-complete', '--json']);
      expect(sw.code, sw.stdout + sw.stderr).toBe(0);
      const health = await cli(['health', '--tsd', fresh.url, '--read-only']);
      expect(health.code, health.stderr).toBe(0);
      const { diffs } = await agree('scenario 4 (new cluster vs standby)', standby, fresh.url, metrics, t0, Date.now() + MIN);
      expect(diffs).toEqual([]);
    } finally {
      await fresh.stop();
      await primary.start();
    }
  });
});
