// tsdb-backup copies data points, not annotations. A backup that meets annotations must say so and
// record how many it left out, so that a restore can say so too: nothing is dropped silently.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { Repository } from '../../src/repository/repository.js';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { annotateSeries } from '../support/annotate.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';

export interface AnnotationsSetup {
  sourceUrl: string;
  targetUrl: string;
  prefix: string;
  t0: number;
}

const MIN = 60_000;

/** The manifest of the backup a `full --json` run reported. */
const manifestOf = async (dir: string, run: { json: Array<Record<string, unknown>> }) =>
  (await Repository.open(new LocalStorage(dir))).readManifest(String(run.json.find((e) => e.type === 'summary')!.backupId));
const warnings = (events: Array<Record<string, unknown>>) => events.filter((e) => e.type === 'warning').map((e) => String(e.message));

export function annotationsScenario(name: string, setup: () => Promise<AnnotationsSetup>): void {
  it(`annotations are counted, reported and recorded, never dropped silently (${name})`, async () => {
    const { sourceUrl, targetUrl, prefix, t0 } = await setup();
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-annotations-'));
    try {
      await initRepo(repo);
      const noted = `${prefix}.noted`;
      const plain = `${prefix}.plain`;
      await putPoints(sourceUrl, [
        ...Array.from({ length: 30 }, (_, i) => ({ metric: noted, tags: { host: 'a' }, timestamp: t0 + i * MIN, value: String(i) })),
        ...Array.from({ length: 30 }, (_, i) => ({ metric: plain, tags: { host: 'a' }, timestamp: t0 + i * MIN, value: String(i) })),
      ]);
      const range = { start: t0, end: t0 + 60 * MIN };
      await annotateSeries(sourceUrl, noted, { host: 'a' }, range, [
        { startTime: (t0 + 5 * MIN) / 1000, description: 'deploy' }, // seconds
        { startTime: t0 + 20 * MIN + 1, description: 'rollback' }, // milliseconds
      ]);
      const window = ['--start', String(range.start), '--end', String(range.end), '--json'];

      const b = await cli(['full', '--source', sourceUrl, '--repo', repo, '--metric', `${prefix}.*`, ...window]);
      expect(b.code, b.stderr).toBe(0);
      expect(warnings(b.json)).toEqual([expect.stringMatching(new RegExp(`^2 annotation\\(s\\) in the range are not backed up: ${noted.replace(/\./g, '\\.')} \\(2\\)`))]);
      const full = await manifestOf(repo, b);
      expect(full.annotationsOmitted).toEqual({ total: 2, metrics: { [noted]: 2 } });
      expect(full.totals.points).toBe(60);

      const r = await cli(['restore', '--repo', repo, '--target', targetUrl, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(warnings(r.json)).toEqual([expect.stringMatching(/2 annotation\(s\).*not backed up.*target will not have them/)]);
      const only = await cli(['restore', '--repo', repo, '--target', targetUrl, '--metric', plain, '--json']);
      expect(only.code, only.stderr).toBe(0);
      expect(warnings(only.json)).toEqual([]);

      const none = await cli(['full', '--source', sourceUrl, '--repo', repo, '--metric', plain, ...window]);
      expect(none.code, none.stderr).toBe(0);
      expect(warnings(none.json)).toEqual([]);
      expect((await manifestOf(repo, none)).annotationsOmitted).toBeUndefined();
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
}
