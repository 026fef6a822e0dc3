// show, diff and compare on a real workflow: a full and an incremental backup, then a point that
// arrives late into an old window (older than the incremental overlap, so no incremental sees it) and
// a value rewritten in place. compare must report exactly those two and exit 16; diff of the
// incremental and a later full backup reports the same change; show tells what each backup holds.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { SeedPoint } from '../support/dataset.js';
import { initRepo } from '../support/init-repo.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';

export interface InspectSetup {
  sourceUrl: string;
  prefix: string;
  now: number;
  /** Replaces a stored point's value in place (same kind and size, so the TSD keeps one cell). */
  rewrite: (url: string, point: SeedPoint) => Promise<unknown>;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

function lines(r: { stdout: string }): Array<Record<string, unknown>> {
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function summary(r: { stdout: string }): Record<string, unknown> {
  const all = lines(r);
  expect(all.at(-1)?.type).toBe('summary');
  return all.at(-1)!;
}

export function inspectScenario(name: string, setup: () => Promise<InspectSetup>): void {
  it(`compare finds a late point and a rewritten value; diff and show tell what changed (${name})`, async () => {
    const c = await setup();
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-inspect-'));
    const m = `${c.prefix}.inspect`;
    const at = (t: number) => ({ now: () => new Date(t) });
    try {
      await initRepo(repo);
      const points: SeedPoint[] = [];
      for (let t = c.now - 3 * HOUR; t < c.now - 5 * MIN; t += 5 * MIN) {
        points.push({ metric: m, tags: { host: 'a' }, timestamp: t, value: String(((t / MIN) % 50) + 1) });
        points.push({ metric: m, tags: { host: 'b' }, timestamp: t + 1, value: '2.5' });
      }
      await putPoints(c.sourceUrl, points);
      const full = await cli(['full', '--source', c.sourceUrl, '--repo', repo, '--metric', m, '--start', String(c.now - 4 * HOUR), '--json'], at(c.now));
      expect(full.code, full.stderr).toBe(0);
      const fullId = summary(full).backupId ?? summary(full).id;

      // New data for the incremental.
      const fresh: SeedPoint[] = [0, 1, 2].map((i) => ({ metric: m, tags: { host: 'a' }, timestamp: c.now + i * MIN, value: '7' }));
      await putPoints(c.sourceUrl, fresh);
      const incr = await cli(['incremental', '--source', c.sourceUrl, '--repo', repo, '--json'], at(c.now + 30 * MIN));
      expect(incr.code, incr.stderr).toBe(0);
      const incrId = summary(incr).backupId ?? summary(incr).id;

      // In step with the cluster.
      const same = await cli(['compare', '--source', c.sourceUrl, '--repo', repo, '--json']);
      expect(same.code, same.stdout + same.stderr).toBe(0);
      expect(summary(same)).toMatchObject({
        command: 'compare',
        backupId: incrId,
        equal: true,
        missingFromBackup: 0,
        missingFromCluster: 0,
        changed: 0,
        backupPoints: points.length + 3,
      });

      // A late point in an old window (2.5 h before the full's end: older than the 1 h overlap), and a rewritten value.
      const late: SeedPoint = { metric: m, tags: { host: 'a' }, timestamp: c.now - 150 * MIN + 7_000, value: '42' };
      await putPoints(c.sourceUrl, [late]);
      const victim = points.find((p) => p.tags.host === 'a' && p.timestamp === c.now - 2 * HOUR)!;
      const changed: SeedPoint = { ...victim, value: victim.value === '49' ? '48' : '49' };
      await c.rewrite(c.sourceUrl, changed);

      const cmp = await cli(['compare', '--source', c.sourceUrl, '--repo', repo, '--json']);
      expect(cmp.code, cmp.stdout + cmp.stderr).toBe(16);
      expect(summary(cmp)).toMatchObject({ equal: false, missingFromBackup: 1, missingFromCluster: 0, changed: 1 });
      const diffs = lines(cmp).filter((l) => l.type === 'difference');
      expect(diffs).toEqual([
        ...[
          {
            type: 'difference',
            difference: 'missingFromBackup',
            metric: m,
            tags: { host: 'a' },
            timestamp: late.timestamp,
            cluster: { kind: 'int', value: '42' },
          },
          {
            type: 'difference',
            difference: 'changed',
            metric: m,
            tags: { host: 'a' },
            timestamp: victim.timestamp,
            backup: { kind: 'int', value: victim.value },
            cluster: { kind: 'int', value: changed.value },
          },
        ].sort((x, y) => x.timestamp - y.timestamp),
      ]);
      // Narrowed to a range without the changes: equal.
      const narrow = await cli(['compare', '--source', c.sourceUrl, '--repo', repo, '--start', String(c.now - HOUR), '--json']);
      expect(narrow.code, narrow.stderr).toBe(0);
      // The human output names both.
      const text = await cli(['compare', '--source', c.sourceUrl, '--repo', repo]);
      expect(text.code).toBe(16);
      expect(text.stderr).toContain('1 point(s) missing from the backup, 0 missing from the cluster, 1 changed');

      // A new full backup holds the changes: diff from the incremental names them.
      const full2 = await cli(
        ['full', '--source', c.sourceUrl, '--repo', repo, '--metric', m, '--start', String(c.now - 4 * HOUR), '--json'],
        at(c.now + 40 * MIN),
      );
      expect(full2.code, full2.stderr).toBe(0);
      const full2Id = summary(full2).backupId ?? summary(full2).id;
      const d = await cli(['diff', String(incrId), String(full2Id), '--repo', repo, '--json']);
      expect(d.code, d.stdout + d.stderr).toBe(16);
      expect(summary(d)).toMatchObject({ command: 'diff', equal: false, pointsAdded: 1, pointsRemoved: 0, pointsChanged: 1, seriesAdded: 0, seriesRemoved: 0 });
      expect(
        lines(d)
          .filter((l) => l.type === 'difference')
          .map((l) => l.change)
          .sort(),
      ).toEqual(['added', 'changed']);
      const d0 = await cli(['diff', String(fullId), String(fullId), '--repo', repo, '--json']);
      expect(d0.code, d0.stderr).toBe(0);
      expect(summary(d0)).toMatchObject({ equal: true, pointsAdded: 0 });
      const d1 = await cli(['diff', String(fullId), String(incrId), '--repo', repo, '--json']);
      expect(d1.code).toBe(16);
      expect(summary(d1)).toMatchObject({ pointsAdded: 3, pointsRemoved: 0, pointsChanged: 0 });
      // And the newest full backup matches the cluster.
      const again = await cli(['compare', '--source', c.sourceUrl, '--repo', repo, '--json']);
      expect(again.code, again.stdout + again.stderr).toBe(0);

      // show: the incremental, its chain and what it added.
      const show = await cli(['show', String(incrId), '--repo', repo, '--json']);
      expect(show.code, show.stderr).toBe(0);
      const s = summary(show);
      expect(s).toMatchObject({
        command: 'show',
        backupId: incrId,
        backupType: 'incremental',
        parentId: fullId,
        chainIds: [fullId, incrId],
        sourceUrl: expect.any(String),
      });
      const metric = lines(show).find((l) => l.type === 'metric')!;
      expect(metric).toMatchObject({ metric: m, series: expect.any(Number), firstTimestamp: expect.any(Number), lastTimestamp: c.now + 2 * MIN });
      expect(metric.addedBytes).toBeLessThanOrEqual(metric.bytes as number);
      const showFull = await cli(['show', String(fullId), '--repo', repo, '--json']);
      const sf = summary(showFull);
      expect(sf).toMatchObject({ backupType: 'full', points: points.length, firstTimestamp: c.now - 3 * HOUR, addedBytes: sf.bytes, start: c.now - 4 * HOUR });

      // list shows the data a backup holds (first and last point), not only the requested range, and what it added.
      const list = await cli(['list', '--repo', repo, '--json']);
      const listed = list.json.find((b) => b.type === 'backup' && b.backupId === fullId);
      expect(listed).toMatchObject({ firstTimestamp: c.now - 3 * HOUR, addedBytes: sf.bytes, start: c.now - 4 * HOUR });
      const listText = await cli(['list', '--repo', repo]);
      expect(listText.stdout).toContain(new Date(c.now - 3 * HOUR).toISOString());
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
}

export interface NewMetricSetup {
  sourceUrl: string;
  prefix: string;
  now: number;
}

async function assignMetric(url: string, metric: string): Promise<void> {
  const res = await fetch(`${url}/api/uid/assign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ metric: [metric] }),
  });
  if (res.status !== 200 && res.status !== 400) throw new Error(`uid assign on ${url}: ${res.status} ${await res.text()}`);
}

/**
 * A metric created after a full backup, with points written back into the times the backup covers
 * (backdated), is data the backup does not hold: compare reports it (exit 16). Its points after the
 * backup's end, a metric created after the backup with a UID and no points, and a metric the backup's
 * --metric selection never took are no differences.
 */
export function compareNewMetricScenario(name: string, setup: () => Promise<NewMetricSetup>): void {
  it(`compare reports a metric created after the backup with points in its times (${name})`, async () => {
    const c = await setup();
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-inspect-new-'));
    const [kept, late, empty, other] = [`${c.prefix}.kept`, `${c.prefix}.late`, `${c.prefix}.empty`, `${c.prefix}x.other`];
    try {
      await initRepo(repo);
      const series = (metric: string, from: number, n: number, value: string): SeedPoint[] =>
        Array.from({ length: n }, (_, i) => ({ metric, tags: { host: 'a' }, timestamp: from + i * 10 * MIN, value }));
      await putPoints(c.sourceUrl, series(kept, c.now - 3 * HOUR, 6, '1'));
      const full = await cli(['full', '--source', c.sourceUrl, '--repo', repo, '--metric', `${c.prefix}.*`, '--start', String(c.now - 4 * HOUR), '--json'], {
        now: () => new Date(c.now),
      });
      expect(full.code, full.stderr).toBe(0);
      const before = await cli(['compare', '--source', c.sourceUrl, '--repo', repo, '--json']);
      expect(before.code, before.stdout + before.stderr).toBe(0);

      // After the backup: a new metric with three backdated points inside its range and one after its end,
      // a metric with a UID and no points, and a metric outside the backup's selection.
      const backdated = series(late, c.now - 2 * HOUR, 3, '5.5');
      await putPoints(c.sourceUrl, [...backdated, { metric: late, tags: { host: 'a' }, timestamp: c.now + 10 * MIN, value: '6' }]);
      await assignMetric(c.sourceUrl, empty);
      await putPoints(c.sourceUrl, series(other, c.now - 2 * HOUR, 2, '7'));

      const cmp = await cli(['compare', '--source', c.sourceUrl, '--repo', repo, '--json']);
      expect(cmp.code, cmp.stdout + cmp.stderr).toBe(16);
      expect(summary(cmp)).toMatchObject({ equal: false, missingFromBackup: 3, missingFromCluster: 0, changed: 0, metricsMissingFromBackup: [late] });
      const metricLines = lines(cmp).filter((l) => l.type === 'metric');
      expect(metricLines.map((l) => l.metric)).toEqual([kept, late]);
      expect(metricLines.find((l) => l.metric === late)).toMatchObject({ inBackup: false, backupPoints: 0, missingFromBackup: 3 });
      expect(metricLines.find((l) => l.metric === kept)).toMatchObject({ inBackup: true, backupPoints: 6, missingFromBackup: 0 });
      const diffs = lines(cmp).filter((l) => l.type === 'difference');
      expect(diffs).toEqual(
        backdated.map((p) => ({
          type: 'difference',
          difference: 'missingFromBackup',
          metric: late,
          tags: { host: 'a' },
          timestamp: p.timestamp,
          cluster: { kind: 'float', value: '5.5' },
        })),
      );

      const text = await cli(['compare', '--source', c.sourceUrl, '--repo', repo]);
      expect(text.code).toBe(16);
      expect(text.stderr).toContain(`metric not in the backup: ${late}: 3 point(s) in the times the backup covers`);
      expect(text.stderr).toContain('3 point(s) missing from the backup, 0 missing from the cluster, 0 changed');

      // --metric narrows the discovery too.
      const narrowed = await cli(['compare', '--source', c.sourceUrl, '--repo', repo, '--metric', kept, '--json']);
      expect(narrowed.code, narrowed.stdout + narrowed.stderr).toBe(0);
      expect(summary(narrowed)).toMatchObject({ equal: true, metrics: 1, metricsMissingFromBackup: [] });
      // Only the times before the backdated points: nothing missing.
      const early = await cli(['compare', '--source', c.sourceUrl, '--repo', repo, '--end', String(c.now - 2 * HOUR - 1), '--json']);
      expect(early.code, early.stdout + early.stderr).toBe(0);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
}

/**
 * Values whose sum overflows a double (two of 1.7976931348623157e308 in one hour: the dataset writes
 * such values): the TSD refuses the per-window sum ("Got Infinity", 400). compare then counts only and
 * reads such windows point by point; it must neither fail nor miss a late point there.
 */
export function compareOverflowScenario(name: string, setup: () => Promise<NewMetricSetup>): void {
  it(`compare works on values whose window sum overflows a double (${name})`, async () => {
    const c = await setup();
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-inspect-max-'));
    const metric = `${c.prefix}.max`;
    try {
      await initRepo(repo);
      const at = (i: number): number => c.now - 3 * HOUR + i * 10 * MIN;
      const max = '1.7976931348623157E308';
      await putPoints(c.sourceUrl, [
        { metric, tags: { host: 'a' }, timestamp: at(0), value: max },
        { metric, tags: { host: 'a' }, timestamp: at(1), value: max },
        { metric, tags: { host: 'b' }, timestamp: at(1), value: '1.5' },
        { metric, tags: { host: 'a' }, timestamp: at(7), value: '3' },
      ]);
      const full = await cli(['full', '--source', c.sourceUrl, '--repo', repo, '--metric', metric, '--start', String(c.now - 4 * HOUR), '--json'], {
        now: () => new Date(c.now),
      });
      expect(full.code, full.stderr).toBe(0);
      const same = await cli(['compare', '--source', c.sourceUrl, '--repo', repo, '--json']);
      expect(same.code, same.stdout + same.stderr.slice(0, 2000)).toBe(0);
      expect(summary(same)).toMatchObject({ equal: true, backupPoints: 4 });

      // A late point in the overflowing hour, older than any incremental overlap.
      await putPoints(c.sourceUrl, [{ metric, tags: { host: 'b' }, timestamp: at(2), value: '2.5' }]);
      const late = await cli(['compare', '--source', c.sourceUrl, '--repo', repo, '--json']);
      expect(late.code, late.stdout + late.stderr.slice(0, 2000)).toBe(16);
      expect(summary(late)).toMatchObject({ equal: false, missingFromBackup: 1, missingFromCluster: 0, changed: 0 });
      expect(lines(late).filter((l) => l.type === 'difference')).toEqual([
        { type: 'difference', difference: 'missingFromBackup', metric, tags: { host: 'b' }, timestamp: at(2), cluster: { kind: 'float', value: '2.5' } },
      ]);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
}
