// Chain workflows that once lost data with exit 0 (issue: a restore never silently loses a point):
// an incremental run within the settle lag of its parent, an incremental with a narrower --metric than
// its parent, and a source spelled differently (localhost vs 127.0.0.1). Each restore of the newest
// backup must write every point the chain holds.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { differences, pointCount, snapshot } from '../support/compare-clusters.js';
import type { SeedPoint } from '../support/dataset.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';

export interface ChainCoverageSetup {
  sourceUrl: string;
  targetUrl: string;
  /** Metric names made unique per run, so a shared real TSD can host every case. */
  prefix: string;
  now: number;
}

const SEC = 1000;
const MIN = 60 * SEC;

function summaryOf(r: { json: Array<Record<string, unknown>> }): Record<string, unknown> {
  return r.json.find((j) => j.type === 'summary') ?? {};
}

/** The same URL with 127.0.0.1 spelled localhost (or the other way round). */
function otherSpelling(url: string): string {
  const u = new URL(url);
  u.hostname = u.hostname === 'localhost' ? '127.0.0.1' : u.hostname === '127.0.0.1' ? 'localhost' : u.hostname;
  return u.toString().replace(/\/$/, '');
}

export function chainCoverageScenario(name: string, setup: () => Promise<ChainCoverageSetup>): void {
  it(`an incremental run at once after a full keeps the full's newest points (${name})`, async () => {
    const c = await setup();
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-settle-'));
    const m = `${c.prefix}.settle`;
    try {
      await initRepo(repo);
      const points: SeedPoint[] = [
        { metric: m, tags: { host: 'a' }, timestamp: c.now - 30 * SEC, value: '1' },
        { metric: m, tags: { host: 'a' }, timestamp: c.now - 20 * SEC, value: '2.5' },
      ];
      await putPoints(c.sourceUrl, points);
      const full = await cli(['full', '--source', c.sourceUrl, '--repo', repo, '--metric', m, '--start', String(c.now - 10 * MIN), '--json'], {
        now: () => new Date(c.now),
      });
      expect(full.code, full.stderr).toBe(0);
      expect(summaryOf(full).points).toBe(2);
      // The incremental's window ends at now - settle: before the full's end.
      const incr = await cli(['incremental', '--source', c.sourceUrl, '--repo', repo, '--json'], { now: () => new Date(c.now + SEC) });
      expect(incr.code, incr.stderr).toBe(0);
      expect(summaryOf(incr).end).toBeLessThan(c.now);

      const dry = await cli(['restore', '--repo', repo, '--dry-run', '--json']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(summaryOf(dry)).toMatchObject({ backupId: summaryOf(incr).backupId, points: 2 });

      const restored = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--json']);
      expect(restored.code, restored.stderr).toBe(0);
      const [src, dst] = await Promise.all([snapshot(c.sourceUrl, [m], c.now - 10 * MIN, c.now), snapshot(c.targetUrl, [m], c.now - 10 * MIN, c.now)]);
      expect(pointCount(src)).toBe(2);
      expect(differences(src, dst)).toEqual([]);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  it(`an incremental with a narrower --metric keeps the parent's other metrics (${name})`, async () => {
    const c = await setup();
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-narrow-'));
    const [a, b] = [`${c.prefix}.narrow.a`, `${c.prefix}.narrow.b`];
    try {
      await initRepo(repo);
      const points: SeedPoint[] = [];
      for (let t = c.now - 3 * 60 * MIN; t < c.now - 5 * MIN; t += MIN) {
        points.push({ metric: a, tags: { host: 'x' }, timestamp: t, value: String(t / MIN) });
        points.push({ metric: b, tags: { host: 'y' }, timestamp: t + 1, value: `${t / MIN}.5` });
      }
      await putPoints(c.sourceUrl, points);
      const full = await cli(
        [
          'full',
          '--source',
          c.sourceUrl,
          '--repo',
          repo,
          '--metric',
          a,
          '--metric',
          b,
          '--start',
          String(c.now - 4 * 60 * MIN),
          '--end',
          String(c.now - 60 * MIN),
          '--json',
        ],
        { now: () => new Date(c.now - 60 * MIN) },
      );
      expect(full.code, full.stderr).toBe(0);
      const incr = await cli(['incremental', '--source', c.sourceUrl, '--repo', repo, '--metric', a, '--json'], { now: () => new Date(c.now) });
      expect(incr.code, incr.stderr).toBe(0);

      const restored = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--json']);
      expect(restored.code, restored.stderr).toBe(0);
      // A up to the incremental's end; B as the full had it (up to the full's end).
      const [srcA, dstA] = await Promise.all([snapshot(c.sourceUrl, [a], 0, c.now), snapshot(c.targetUrl, [a], 0, c.now)]);
      expect(differences(srcA, dstA)).toEqual([]);
      const [srcB, dstB] = await Promise.all([snapshot(c.sourceUrl, [b], 0, c.now - 60 * MIN), snapshot(c.targetUrl, [b], 0, c.now)]);
      expect(pointCount(srcB)).toBeGreaterThan(100);
      expect(differences(srcB, dstB)).toEqual([]);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  it(`an incremental finds its parent however the source's loopback host is spelled (${name})`, async () => {
    const c = await setup();
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-spelling-'));
    const m = `${c.prefix}.spelling`;
    try {
      await initRepo(repo);
      await putPoints(c.sourceUrl, [{ metric: m, tags: { host: 'a' }, timestamp: c.now - 10 * MIN, value: '7' }]);
      const full = await cli(['full', '--source', c.sourceUrl, '--repo', repo, '--metric', m, '--start', String(c.now - 60 * MIN), '--json'], {
        now: () => new Date(c.now - 5 * MIN),
      });
      expect(full.code, full.stderr).toBe(0);
      const incr = await cli(['incremental', '--source', otherSpelling(c.sourceUrl), '--repo', repo, '--json'], { now: () => new Date(c.now) });
      expect(incr.code, incr.stderr).toBe(0);
      expect(summaryOf(incr).parentId).toBe(summaryOf(full).backupId);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
}
