// restore checks its target: before writing, that the target holds no other value at a point it would
// write (refused with exit 18, nothing written; --overwrite only where tsd.storage.fix_duplicates makes
// the newest value win); after writing with --verify, that every point reads back exactly (exit 17 when
// the target differs). Restoring twice stays harmless. The same scenario runs against the fake TSD
// (test/integration) and the real one (test/e2e).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differences, pointCount, snapshot } from '../support/compare-clusters.js';
import type { SeedPoint } from '../support/dataset.js';
import { initRepo } from '../support/init-repo.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';

export interface CheckClusters {
  sourceUrl: string;
  /** A target with OpenTSDB's defaults (tsd.storage.fix_duplicates=false). */
  targetUrl: string;
  /** A target with tsd.storage.fix_duplicates=true, where --overwrite may replace values (absent: not tested). */
  fixDuplicatesUrl?: string;
}

const T0 = Date.UTC(2026, 6, 1);
const METRIC = 'checks.load';

function points(): SeedPoint[] {
  const out: SeedPoint[] = [];
  // OpenTSDB answers every value of a series that holds a float as a double (README, Known limits), so
  // host=a mixes kinds and host=b holds integers only.
  for (const [host, values] of [
    ['a', ['42', '1.5', '9223372036854775807', '0.1']],
    ['b', ['42', '7', '9223372036854775807', '-3']],
  ] as const) {
    values.forEach((value, i) =>
      out.push({ metric: METRIC, tags: { host }, timestamp: T0 + i * 60_000 + (i === 3 ? 5 : 0), value, tsUnit: i === 3 ? 'ms' : 's' }),
    );
  }
  return out;
}

export function restoreCheckScenarios(name: string, setup: () => Promise<CheckClusters>): void {
  describe(`restore --verify and the conflict check (${name})`, () => {
    let c: CheckClusters;
    let repo: string;
    const start = T0 - 3_600_000;
    const end = T0 + 3_600_000;

    beforeAll(async () => {
      c = await setup();
      await fetch(`${c.sourceUrl}/api/uid/assign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metric: [METRIC] }),
      });
      await putPoints(c.sourceUrl, points());
      repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-checks-'));
      await initRepo(repo);
      const r = await cli(['full', '--source', c.sourceUrl, '--repo', repo, '--metric', METRIC, '--start', String(start), '--end', String(end)]);
      expect(r.code, r.stderr).toBe(0);
    });
    afterAll(async () => {
      if (repo) await rm(repo, { recursive: true, force: true });
    });

    it('--verify reads every point back and finds it identical; a second restore with --verify is harmless', async () => {
      for (let run = 0; run < 2; run++) {
        const r = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--verify', '--json']);
        expect(r.code, r.stderr).toBe(0);
        expect(r.json.find((j) => j.type === 'summary')).toMatchObject({
          written: 8,
          verify: { points: 8, missing: 0, changed: 0, extra: 0, differences: [] },
        });
      }
      const text = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--verify']);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stderr).toContain('verify: read back 8 points of 1 chunks: identical to the backup');
      expect(differences(await snapshot(c.sourceUrl, [METRIC], start, end), await snapshot(c.targetUrl, [METRIC], start, end))).toEqual([]);
    });

    it('a point the target already holds with another value is a conflict: refused before writing (exit 18), naming the series and time', async () => {
      // The target holds another value at one point the restore would write (under a new name here).
      const other = 'checks.held';
      await fetch(`${c.targetUrl}/api/uid/assign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metric: [other] }),
      });
      await putPoints(c.targetUrl, [{ metric: other, tags: { host: 'b' }, timestamp: T0, value: '43', tsUnit: 's' }]);
      const args = ['restore', '--repo', repo, '--target', c.targetUrl, '--rename-metric', `${METRIC}=${other}`];
      const r = await cli([...args, '--json']);
      expect(r.code, r.stderr).toBe(18);
      const error = r.json.find((j) => j.type === 'error') as { details?: { conflicts?: unknown } };
      expect(error.details?.conflicts).toEqual({
        points: 1,
        differences: [{ metric: other, series: `${other}{host=b}`, timestamp: T0, backup: '42', target: '43' }],
        unreadable: [],
      });
      const text = await cli(args);
      expect(text.code).toBe(18);
      expect(text.stderr).toContain(`${other}{host=b} at ${new Date(T0).toISOString()} (${T0}): backup 42, target 43`);
      // --overwrite on a target without fix_duplicates would make the series unreadable: refused too.
      const over = await cli([...args, '--overwrite']);
      expect(over.code).toBe(18);
      expect(over.stderr).toContain('--overwrite needs a target with tsd.storage.fix_duplicates=true');
      // Nothing was written: the target holds only the point it had.
      expect([...(await snapshot(c.targetUrl, [other], start, end)).entries()]).toEqual([[`${other}{host=b}`, [`${T0}=43`]]]);
    });

    it('a series the target can no longer read (a point changed behind the tool\'s back: "Duplicate timestamp") is a conflict too', async () => {
      // After the restore above read the rows back (which compacts them), another value at a restored
      // time leaves two values there, and OpenTSDB fails every read of the series.
      await putPoints(c.targetUrl, [{ metric: METRIC, tags: { host: 'b' }, timestamp: T0, value: '43', tsUnit: 's' }]);
      const r = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--json']);
      expect(r.code, r.stderr).toBe(18);
      const error = r.json.find((j) => j.type === 'error') as {
        message: string;
        details?: { conflicts?: { unreadable: Array<{ metric: string; error: string }> } };
      };
      expect(error.details?.conflicts?.unreadable).toEqual([
        expect.objectContaining({ metric: METRIC, error: expect.stringContaining('Duplicate timestamp') }),
      ]);
      expect(error.message).toContain('1 range(s) it cannot read');
    });

    it('--verify reports a point of a restored series the backup does not hold (exit 17)', async () => {
      const other = 'checks.extra';
      await fetch(`${c.targetUrl}/api/uid/assign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metric: [other] }),
      });
      const r0 = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--rename-metric', `${METRIC}=${other}`, '--verify']);
      expect(r0.code, r0.stderr).toBe(0);
      await putPoints(c.targetUrl, [{ metric: other, tags: { host: 'a' }, timestamp: T0 + 30_000, value: '7.5', tsUnit: 's' }]);
      const r = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--rename-metric', `${METRIC}=${other}`, '--verify', '--json']);
      expect(r.code, r.stderr).toBe(17);
      expect(r.json.find((j) => j.type === 'summary')).toMatchObject({
        verify: {
          points: 8,
          missing: 0,
          changed: 0,
          extra: 1,
          differences: [{ metric: other, series: `${other}{host=a}`, timestamp: T0 + 30_000, backup: null, target: '7.5' }],
        },
      });
      const text = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--rename-metric', `${METRIC}=${other}`, '--verify']);
      expect(text.code).toBe(17);
      expect(text.stderr).toContain(`differs: ${other}{host=a} at ${new Date(T0 + 30_000).toISOString()} (${T0 + 30_000}): backup no point, target 7.5`);
    });

    it('--overwrite replaces the values on a target with tsd.storage.fix_duplicates=true, and --verify confirms it', async () => {
      if (!c.fixDuplicatesUrl) return;
      expect((await cli(['restore', '--repo', repo, '--target', c.fixDuplicatesUrl])).code).toBe(0);
      await putPoints(c.fixDuplicatesUrl, [{ metric: METRIC, tags: { host: 'a' }, timestamp: T0 + 60_000, value: '2.5', tsUnit: 's' }]);
      expect((await cli(['restore', '--repo', repo, '--target', c.fixDuplicatesUrl])).code).toBe(18);
      const r = await cli(['restore', '--repo', repo, '--target', c.fixDuplicatesUrl, '--overwrite', '--verify', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.find((j) => j.type === 'summary')).toMatchObject({ verify: { points: 8, missing: 0, changed: 0, extra: 0 } });
      const source = await snapshot(c.sourceUrl, [METRIC], start, end);
      expect(pointCount(source)).toBe(8);
      expect(differences(source, await snapshot(c.fixDuplicatesUrl, [METRIC], start, end))).toEqual([]);
    });
  });
}
