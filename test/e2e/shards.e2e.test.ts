// Sharded backups against the real OpenTSDB 2.4.1, as a Kubernetes Indexed Job runs them: 4 processes
// of the built CLI back up one cluster into one repository at once (--shard i/4, one --set), the last
// to finish merges the set into one backup; 4 processes restore it in parallel (--shard i/4) into the
// target, and every point is compared.

import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { differences, pointCount, snapshot } from '../support/compare-clusters.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { linesOf } from '../support/json-output.js';
import { putPoints } from '../support/put-points.js';
import { shardOf } from '../../src/shard/shard.js';

const bin = path.resolve(import.meta.dirname, '../../bin/tsdb-backup.js');

/** The built CLI as a separate process, as each pod of the Job runs it. */
function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

// Metrics of this test only: the source is shared with the other end-to-end files, and a backup or
// restore of the whole source would take theirs too.
const T0 = Date.UTC(2026, 2, 1);
const METRICS = Array.from({ length: 12 }, (_, i) => `e2e.shards.m${String(i).padStart(2, '0')}`);
const SERIES = 10;
const PER_SERIES = 120;

async function seed(url: string): Promise<{ metrics: string[]; start: number; end: number; points: number }> {
  const points = METRICS.flatMap((metric, m) =>
    Array.from({ length: SERIES }, (_, s) => s).flatMap((s) =>
      // integers in some series, floats in others, and one 64-bit counter beyond 2^53
      Array.from({ length: PER_SERIES }, (_, i) => ({
        metric,
        tags: { host: `h${s}` },
        timestamp: T0 + i * 30_000,
        value: s % 3 === 0 ? `${i * m}.25` : s === 1 ? String(9_007_199_254_740_993n + BigInt(i)) : String(i * s),
      })),
    ),
  );
  await putPoints(url, points, { maxBodyBytes: 500_000, concurrency: 4 });
  return { metrics: METRICS, start: T0, end: T0 + PER_SERIES * 30_000, points: points.length };
}

const summary = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe.runIf(!inject('e2eSkipped'))('sharded backup and restore (real OpenTSDB)', () => {
  it('4 shard processes back up one repository at once; 4 restore processes write every point back', async () => {
    const sourceUrl = inject('sourceUrl');
    const targetUrl = inject('targetUrl');
    const seeded = await seed(sourceUrl);
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-shards-'));
    try {
      await initRepo(repo);
      const range = ['--metric', 'e2e.shards.*', '--start', String(seeded.start), '--end', String(seeded.end)];
      const shards = await Promise.all(
        [0, 1, 2, 3].map((i) => run(['full', '--source', sourceUrl, '--repo', repo, ...range, '--shard', `${i}/4`, '--set', 'e2e-shards', '--json'])),
      );
      for (const r of shards) expect(r.code, r.stderr).toBe(0);
      const sets = shards.map((r) => summary(r.stdout).set as { shard: number; complete: boolean; backupId?: string });
      // every shard backed up its own metrics; at least the last one merged the set
      for (const [i, r] of shards.entries()) expect(summary(r.stdout).metrics).toBe(seeded.metrics.filter((m) => shardOf(m, 4) === i).length);
      const merged = sets.filter((s) => s.complete);
      expect(merged.length).toBeGreaterThan(0);
      const backupId = merged[0]!.backupId!;
      expect(new Set(merged.map((s) => s.backupId))).toEqual(new Set([backupId]));
      expect(await readdir(path.join(repo, 'backups'))).toEqual([backupId]);

      const listed = await cli(['list', '--repo', repo, '--json']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(linesOf(listed, 'backup')).toEqual([
        expect.objectContaining({ backupId, points: seeded.points, metrics: seeded.metrics.length, set: { name: 'e2e-shards', shards: 4 } }),
      ]);
      expect((await cli(['verify', 'e2e-shards', '--repo', repo])).code).toBe(0);

      const restores = await Promise.all(
        [0, 1, 2, 3].map((i) => run(['restore', 'e2e-shards', '--repo', repo, '--target', targetUrl, '--shard', `${i}/4`, '--json'])),
      );
      for (const r of restores) expect(r.code, r.stderr).toBe(0);
      expect(restores.reduce((n, r) => n + Number(summary(r.stdout).written), 0)).toBe(seeded.points);

      const [a, b] = await Promise.all([
        snapshot(sourceUrl, seeded.metrics, seeded.start, seeded.end),
        snapshot(targetUrl, seeded.metrics, seeded.start, seeded.end),
      ]);
      expect(pointCount(a)).toBe(seeded.points);
      expect(differences(a, b)).toEqual([]);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  }, 600_000);
});
