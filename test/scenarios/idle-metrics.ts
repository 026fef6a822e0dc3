// A full backup of "every metric" without --start, on a cluster with the metrics real clusters have
// besides busy ones: one with a UID and no data, one idle for weeks with points before 1970-04-26
// (times of 10 digits in ms, which the TSD reads as seconds), and one whose name starts with a
// non-ASCII letter (an empty suggest prefix does not list it). Every point must come back, in few
// queries. The same scenario runs against the fake TSD (test/integration) and the real one (test/e2e).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differences, pointCount, snapshot } from '../support/compare-clusters.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import type { SeedPoint } from '../support/dataset.js';
import { Repository } from '../../src/repository/repository.js';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { summaryOf } from '../support/json-output.js';

export interface IdleClusters {
  sourceUrl: string;
  targetUrl: string;
}

const DAY = 86_400_000;

export const IDLE_METRICS = { noData: 'idle.nodata', old: 'idle.old', umlaut: 'ümlaut.idle', busy: 'idle.busy' } as const;

/** The points written; the first two are in 1970, sent in seconds (10 digits), as the TSD requires. */
export function idlePoints(now: number): SeedPoint[] {
  const old = IDLE_METRICS.old;
  const sec = (ms: number): number => Math.floor(ms / 1000) * 1000;
  return [
    // 1970-03-01 (below 1e10 ms, so read as seconds if sent plainly). Not before 1970-02-19 (2^32 ms):
    // OpenTSDB 2.4.1 cannot read such points back (see TsdNamelessSeriesError).
    { metric: old, tags: { host: 'a' }, timestamp: 5_097_600_000, value: '1', tsUnit: 's' },
    { metric: old, tags: { host: 'a' }, timestamp: 9_000_000_000, value: '2.5', tsUnit: 's' }, // 1970-04-15
    { metric: old, tags: { host: 'a' }, timestamp: sec(now - 90 * DAY) + 123, value: '3' },
    { metric: old, tags: { host: 'b' }, timestamp: sec(now - 60 * DAY) + 7, value: '4.25' },
    { metric: IDLE_METRICS.umlaut, tags: { host: 'a' }, timestamp: sec(now - 2 * DAY), value: '6' },
    { metric: IDLE_METRICS.umlaut, tags: { host: 'a' }, timestamp: sec(now - DAY), value: '5' },
    // Seven recent points (a density that sizes the next window to a fraction of a millisecond, which
    // once reached the TSD as a time it cannot read), then nothing for ten months, then three more.
    ...Array.from({ length: 7 }, (_, i) => ({
      metric: IDLE_METRICS.busy,
      tags: { host: 'a' },
      timestamp: sec(now - 50 * 60_000) + i * 397_000,
      value: String(i),
    })),
    ...Array.from({ length: 3 }, (_, i) => ({ metric: IDLE_METRICS.busy, tags: { host: 'a' }, timestamp: sec(now - 300 * DAY) + i * 60_000, value: `${i}.5` })),
  ];
}

export async function seedIdleMetrics(url: string, now: number): Promise<number> {
  const res = await fetch(`${url}/api/uid/assign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ metric: [...Object.values(IDLE_METRICS)] }),
  });
  if (res.status !== 200 && res.status !== 400) throw new Error(`uid assign on ${url}: ${res.status} ${await res.text()}`);
  const points = idlePoints(now);
  const { written } = await putPoints(url, points);
  if (written !== points.length) throw new Error(`wrote ${written} of ${points.length} points`);
  return points.length;
}

export function idleMetricsScenario(name: string, setup: () => Promise<IdleClusters>): void {
  describe(`a full backup without --start of data-less, idle and non-ASCII metrics (${name})`, () => {
    let c: IdleClusters;
    let repo: string;
    let points: number;
    const now = Date.now();
    const metrics = Object.values(IDLE_METRICS);

    beforeAll(async () => {
      c = await setup();
      points = await seedIdleMetrics(c.sourceUrl, now);
      repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-idle-'));
      await initRepo(repo);
    });
    afterAll(async () => {
      if (repo) await rm(repo, { recursive: true, force: true });
    });

    it('backs up every point, in a few queries per metric, and restores them exactly', async () => {
      const b = await cli(['full', '--source', c.sourceUrl, '--repo', repo, '--metric', 'idle.*', '--metric', 'ümlaut.*', '--json']);
      expect(b.code, b.stderr).toBe(0);
      const summary = b.json.find((j) => j.type === 'summary')!;
      expect(summary.points).toBe(points);
      expect(summary.metrics).toBe(3);
      // Walking back in 7-day windows to 1970 took about 3,000 queries per metric; now each cluster of
      // points costs a few queries (the old metric has four clusters, two of them in 1970).
      console.log(`idle metrics (${name}): ${String(summary.queries)} queries`);
      expect(summary.queries as number).toBeLessThanOrEqual(70);

      const r = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--json']);
      expect(r.code, r.stderr).toBe(0);
      // start 1 is read as one second: the oldest point is in 1970.
      const [a, t] = await Promise.all([snapshot(c.sourceUrl, metrics, 1, now + DAY), snapshot(c.targetUrl, metrics, 1, now + DAY)]);
      expect(pointCount(a)).toBe(points);
      expect(differences(a, t)).toEqual([]);
    });

    it('a backup of every metric lists the non-ASCII one', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-idle-all-'));
      try {
        await initRepo(dir);
        const b = await cli(['full', '--source', c.sourceUrl, '--repo', dir, '--start', String(now - 3 * DAY), '--json']);
        expect(b.code, b.stderr).toBe(0);
        const manifest = await (await Repository.open(new LocalStorage(dir))).readManifest(String(summaryOf(b).backupId));
        expect(manifest.metrics.map((m) => m.name)).toContain(IDLE_METRICS.umlaut);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
