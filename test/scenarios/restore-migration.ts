// Migrations while restoring: --rename-metric (with globs), --tag-map and --shift. The target must hold
// exactly the source's points under the new names, tags and times, values and kinds unchanged, and a
// migration that would merge series or leave OpenTSDB's time range is refused before anything is
// written. The same scenario runs against the fake TSD (test/integration) and the real one (test/e2e).

import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differences, pointCount, snapshot, type ClusterSnapshot } from '../support/compare-clusters.js';
import type { SeedPoint } from '../support/dataset.js';
import { initRepo } from '../support/init-repo.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';

export interface MigrationClusters {
  sourceUrl: string;
  targetUrl: string;
}

const T0 = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
const METRICS = ['migrate.cpu', 'migrate.mem'];

/** Integers up to 2^63-1, floats that are 4-byte and 8-byte in OpenTSDB, ms and second timestamps. */
function migrationPoints(): SeedPoint[] {
  const values = ['42', '9223372036854775807', '-9223372036854775808', '1.0', '1.5', '0.1', '15.2', '0', '-3'];
  const out: SeedPoint[] = [];
  for (const metric of METRICS) {
    for (const [host, dc] of [
      ['web1', 'ams'],
      ['web2', 'ams'],
      ['web1', 'fra'],
    ] as const) {
      values.forEach((value, i) => {
        const ms = i % 2 === 0;
        out.push({ metric, tags: { host, dc }, timestamp: T0 + i * 60_000 + (ms ? 17 : 0), value, tsUnit: ms ? 'ms' : 's' });
      });
    }
  }
  return out;
}

/** A snapshot as the migration should have turned it: new metric names, tags and times. */
function migrated(
  s: ClusterSnapshot,
  metric: (m: string) => string,
  tags: (t: Record<string, string>) => Record<string, string>,
  shift: number,
): ClusterSnapshot {
  const out: ClusterSnapshot = new Map();
  for (const [key, points] of s) {
    const m = /^(.*)\{(.*)\}$/.exec(key)!;
    const t = tags(Object.fromEntries(m[2]!.split(',').map((kv) => kv.split('=') as [string, string])));
    const k = Object.keys(t).sort();
    out.set(
      `${metric(m[1]!)}{${k.map((x) => `${x}=${t[x]}`).join(',')}}`,
      points.map((p) => {
        const [ts, v] = p.split('=');
        return `${Number(ts) + shift}=${v}`;
      }),
    );
  }
  return out;
}

export function restoreMigrationScenarios(name: string, setup: () => Promise<MigrationClusters>): void {
  describe(`restore --rename-metric, --tag-map, --shift (${name})`, () => {
    let c: MigrationClusters;
    let repo: string;
    let source: ClusterSnapshot;
    const start = T0 - DAY;
    const end = T0 + DAY;

    beforeAll(async () => {
      c = await setup();
      await fetch(`${c.sourceUrl}/api/uid/assign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metric: METRICS }),
      });
      const points = migrationPoints();
      expect((await putPoints(c.sourceUrl, points)).written).toBe(points.length);
      source = await snapshot(c.sourceUrl, METRICS, start, end);
      expect(pointCount(source)).toBe(points.length);
      repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-migrate-'));
      await initRepo(repo);
      const r = await cli(['full', '--source', c.sourceUrl, '--repo', repo, '--metric', 'migrate.*', '--start', String(start), '--end', String(end), '--json']);
      expect(r.code, r.stderr).toBe(0);
    });
    afterAll(async () => {
      if (repo) await rm(repo, { recursive: true, force: true });
    });

    const migration = [
      '--rename-metric',
      'migrate.cpu=moved.processor',
      '--rename-metric',
      'migrate.*=moved.*',
      '--tag-map',
      'host=node',
      '--tag-map',
      'dc:ams=AMS-1',
      '--shift',
      '-7d',
    ];

    it('writes every point under the new names, tags and times, values and kinds unchanged; a second run changes nothing', async () => {
      for (let run = 0; run < 2; run++) {
        const r = await cli(['restore', '--repo', repo, '--target', c.targetUrl, ...migration, '--json']);
        expect(r.code, r.stderr).toBe(0);
        expect(r.json.find((j) => j.type === 'summary')).toMatchObject({ points: pointCount(source), written: pointCount(source), failed: 0 });
      }
      const expected = migrated(
        source,
        (m) => (m === 'migrate.cpu' ? 'moved.processor' : m.replace(/^migrate\./, 'moved.')),
        (t) => ({ node: t.host!, dc: t.dc === 'ams' ? 'AMS-1' : t.dc! }),
        -7 * DAY,
      );
      const target = await snapshot(c.targetUrl, ['moved.processor', 'moved.mem'], start - 7 * DAY, end - 7 * DAY);
      expect(differences(expected, target)).toEqual([]);
      expect(pointCount(target)).toBe(pointCount(source));
      // Nothing was written under the old names or times.
      expect(pointCount(await snapshot(c.targetUrl, METRICS, start - 8 * DAY, end))).toBe(0);
    });

    it("--start/--end select the backup's own times, before the shift", async () => {
      const r = await cli(['restore', '--repo', repo, '--dry-run', '--shift', '+1h', '--start', String(T0), '--end', String(T0 + 60_000), '--json']);
      expect(r.code, r.stderr).toBe(0);
      // Points at T0 (s) and T0+60s (s, the second value) of every series: 2 per series, 6 series.
      expect(r.json.find((j) => j.type === 'summary')).toMatchObject({ points: 12 });
    });

    it('refuses a rename that merges two metrics, a tag map that merges series, and a shift out of range, writing nothing', async () => {
      const merge = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--rename-metric', 'migrate.*=merged']);
      expect(merge.code).toBe(2);
      expect(merge.stderr).toContain("--rename-metric maps both 'migrate.cpu' and 'migrate.mem' to 'merged'");
      const tags = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--rename-metric', 'migrate.*=tagmerge.*', '--tag-map', 'host:web2=web1']);
      expect(tags.code).toBe(2);
      expect(tags.stderr).toMatch(/--tag-map merges two series of 'migrate\.(cpu|mem)' into tagmerge\.(cpu|mem)\{dc=ams,host=web1\}/);
      const far = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--rename-metric', 'migrate.*=far.*', '--shift', '-20600d']);
      expect(far.code).toBe(2);
      expect(far.stderr).toContain('outside the times OpenTSDB can store');
      const bad = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--tag-map', 'host']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("--tag-map 'host': expected KEY=NEWKEY");
      expect(pointCount(await snapshot(c.targetUrl, ['merged', 'far.cpu', 'far.mem'], 1, end))).toBe(0);
    });

    it('--skip-damaged restores the intact chunks and names exactly what a chunk with a flipped byte held (exit 4)', async () => {
      const [backup] = await readdir(path.join(repo, 'backups'));
      const manifest = JSON.parse(await readFile(path.join(repo, 'backups', backup!, 'manifest.json'), 'utf8')) as {
        chunks: Array<{ key: string; metric: string; firstTimestamp: number; lastTimestamp: number }>;
      };
      const victim = manifest.chunks[0]!;
      const file = path.join(repo, ...victim.key.split('/'));
      const bytes = await readFile(file);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      await writeFile(file, bytes);
      const r = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--rename-metric', 'migrate.*=damaged.*', '--skip-damaged', '--json']);
      expect(r.code, r.stderr).toBe(4);
      const summary = r.json.find((j) => j.type === 'summary') as { written: number; lost: Array<Record<string, unknown>> };
      expect(summary.lost).toEqual([
        expect.objectContaining({
          metric: victim.metric,
          start: victim.firstTimestamp,
          end: victim.lastTimestamp,
          chunk: victim.key,
          backupId: backup,
          series: 3,
          points: 27,
          code: 'CHUNK_CORRUPT',
        }),
      ]);
      const intact = METRICS.find((m) => m !== victim.metric)!;
      const renamed = (m: string) => m.replace(/^migrate\./, 'damaged.');
      expect(summary.written).toBe(27);
      const expected = migrated(await snapshot(c.sourceUrl, [intact], start, end), renamed, (t) => t, 0);
      expect(differences(expected, await snapshot(c.targetUrl, [renamed(intact)], start, end))).toEqual([]);
      expect(pointCount(await snapshot(c.targetUrl, [renamed(victim.metric)], start, end))).toBe(0);
      // Without --skip-damaged the damage stops the restore before anything is written.
      const stop = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--rename-metric', 'migrate.*=stopped.*']);
      expect(stop.code).toBe(4);
      expect(
        pointCount(
          await snapshot(
            c.targetUrl,
            METRICS.map((m) => m.replace(/^migrate\./, 'stopped.')),
            start,
            end,
          ),
        ),
      ).toBe(0);
    });
  });
}
