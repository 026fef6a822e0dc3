// The round-trip scenarios an operator runs: full backup, list, verify, dry run, restore into another
// cluster, restore twice, damaged repositories. The same scenarios run against the in-process fake TSD
// (test/integration) and against the real OpenTSDB (test/e2e).

import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { differences, pointCount, snapshot } from '../support/compare-clusters.js';
import { jsonSchemaProblems, linesOf, summaryOf } from '../support/json-output.js';

export interface ScenarioClusters {
  sourceUrl: string;
  targetUrl: string;
  /** The seeded data: metrics and the time range that holds all of it. */
  metrics: string[];
  start: number;
  end: number;
  points: number;
}

async function chunkFiles(repo: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(path.join(repo, 'data'))) for (const f of await readdir(path.join(repo, 'data', d))) out.push(path.join(repo, 'data', d, f));
  return out;
}

export function roundTripScenarios(name: string, setup: () => Promise<ScenarioClusters>): void {
  describe(`round trip through a local repository (${name})`, () => {
    let c: ScenarioClusters;
    let repo: string;
    let backupId: string;

    beforeAll(async () => {
      c = await setup();
      repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-rt-'));
      await initRepo(repo);
    });
    afterAll(async () => {
      if (repo) await rm(repo, { recursive: true, force: true });
    });

    const range = (): string[] => ['--start', String(c.start), '--end', String(c.end)];

    it('full backs up every seeded point', async () => {
      const r = await cli(['full', '--source', c.sourceUrl, '--repo', repo, ...range(), '--json']);
      expect(r.code, r.stderr).toBe(0);
      // every line a real run prints follows docs/JSON.md, progress lines included
      expect(jsonSchemaProblems(r.stdout, 'full')).toEqual([]);
      const summary = r.json.find((j) => j.type === 'summary')!;
      expect(summary.points).toBe(c.points);
      expect(summary.metrics).toBe(c.metrics.length);
      backupId = String(summary.backupId);
    });

    it('a full without --start or --end (the first backup of the README, after its init) backs up the same points', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-rt-default-'));
      try {
        await initRepo(dir);
        // The seeded metrics only: other tests share a real source.
        const r = await cli(['full', '--source', c.sourceUrl, '--repo', dir, ...c.metrics.flatMap((m) => ['--metric', m]), '--json']);
        expect(r.code, r.stderr).toBe(0);
        expect(r.json.find((j) => j.type === 'summary')).toMatchObject({ points: c.points, metrics: c.metrics.length });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('list shows the backup', async () => {
      const r = await cli(['list', '--repo', repo, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(jsonSchemaProblems(r.stdout, 'list')).toEqual([]);
      const backups = linesOf<{ backupId: string; points: number }>(r, 'backup');
      expect(backups.map((b) => b.backupId)).toEqual([backupId]);
      expect(backups[0]!.points).toBe(c.points);
      const text = await cli(['list', '--repo', repo]);
      expect(text.stdout).toContain(backupId);
    });

    it('verify finds no problem', async () => {
      const r = await cli(['verify', '--repo', repo, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(jsonSchemaProblems(r.stdout, 'verify')).toEqual([]);
      expect(summaryOf(r)).toMatchObject({ command: 'verify', ok: true, points: c.points });
    });

    it('a dry run writes nothing and reports what would be written', async () => {
      const r = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--dry-run', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.find((j) => j.type === 'summary')).toMatchObject({ dryRun: true, points: c.points, written: 0 });
      expect(pointCount(await snapshot(c.targetUrl, c.metrics, c.start, c.end))).toBe(0);
    });

    it('restore into a default-configured TSD answers every query exactly as the source', async () => {
      const r = await cli(['restore', backupId, '--repo', repo, '--target', c.targetUrl, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(jsonSchemaProblems(r.stdout, 'restore')).toEqual([]);
      expect(r.json.find((j) => j.type === 'summary')).toMatchObject({ points: c.points, written: c.points, failed: 0 });
      const [a, b] = await Promise.all([snapshot(c.sourceUrl, c.metrics, c.start, c.end), snapshot(c.targetUrl, c.metrics, c.start, c.end)]);
      expect(pointCount(a)).toBe(c.points);
      expect(differences(a, b)).toEqual([]);
    });

    it('restoring the same backup twice is harmless', async () => {
      const r = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      const [a, b] = await Promise.all([snapshot(c.sourceUrl, c.metrics, c.start, c.end), snapshot(c.targetUrl, c.metrics, c.start, c.end)]);
      expect(differences(a, b)).toEqual([]);
    });

    it('verify and restore refuse a chunk with a flipped byte, naming it', async () => {
      const damaged = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-damaged-'));
      try {
        await cp(repo, damaged, { recursive: true });
        const [victim] = await chunkFiles(damaged);
        const bytes = await readFile(victim!);
        const at = Math.floor(bytes.length / 2);
        bytes[at] = bytes[at]! ^ 0x01;
        await writeFile(victim!, bytes);
        const v = await cli(['verify', '--repo', damaged]);
        expect(v.code).toBe(4);
        expect(v.stderr).toContain(path.basename(victim!));
        const r = await cli(['restore', '--repo', damaged, '--dry-run']);
        expect(r.code).toBe(4);
        expect(r.stderr).toMatch(/corrupt/);
      } finally {
        await rm(damaged, { recursive: true, force: true });
      }
    });

    it('verify reports a missing chunk and a corrupt manifest', async () => {
      const damaged = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-damaged-'));
      try {
        await cp(repo, damaged, { recursive: true });
        const [victim] = await chunkFiles(damaged);
        await rm(victim!);
        const v = await cli(['verify', '--repo', damaged]);
        expect(v.code).toBe(4);
        expect(v.stderr).toMatch(/missing/);
        await writeFile(path.join(damaged, 'backups', backupId, 'manifest.json'), '{"format":"tsdb-backup-manifest","version":1');
        const m = await cli(['verify', '--repo', damaged]);
        expect(m.code).toBe(4);
        expect(m.stderr).toMatch(/manifest .* is invalid/);
      } finally {
        await rm(damaged, { recursive: true, force: true });
      }
    });
  });
}
