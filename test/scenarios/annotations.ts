// Annotations and metadata travel with a backup: per-series annotations (remapped by metric and tags, since
// TSUIDs differ between clusters), global annotations, UID metadata and TS metadata, compared field by
// field between the source and the target after a restore; a second restore adds no duplicate.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { Repository } from '../../src/repository/repository.js';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { annotateSeries } from '../support/annotate.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { postGlobalAnnotation, readAnnotations, readTsMeta, setTsMeta, setUidMeta, uidsOf } from '../support/metadata.js';
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
const summaryOf = (events: Array<Record<string, unknown>>) => events.find((e) => e.type === 'summary')!;

export function annotationsScenario(name: string, setup: () => Promise<AnnotationsSetup>): void {
  it(`annotations, UID and TS metadata are backed up and restored by name, field by field, without duplicates (${name})`, async () => {
    const { sourceUrl, targetUrl, prefix, t0 } = await setup();
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-annotations-'));
    try {
      await initRepo(repo);
      const noted = `${prefix}.noted`;
      const plain = `${prefix}.plain`;
      await putPoints(sourceUrl, [
        ...Array.from({ length: 30 }, (_, i) => ({ metric: noted, tags: { host: 'a' }, timestamp: t0 + i * MIN, value: String(i) })),
        ...Array.from({ length: 30 }, (_, i) => ({ metric: noted, tags: { host: 'b' }, timestamp: t0 + i * MIN, value: String(i) })),
        ...Array.from({ length: 30 }, (_, i) => ({ metric: plain, tags: { host: 'a' }, timestamp: t0 + i * MIN, value: String(i) })),
      ]);
      const range = { start: t0, end: t0 + 60 * MIN };
      const tsuid = await annotateSeries(sourceUrl, noted, { host: 'a' }, range, [
        { startTime: (t0 + 5 * MIN) / 1000, description: 'deploy' }, // seconds
        { startTime: t0 + 20 * MIN + 1, description: 'rollback' }, // milliseconds
      ]);
      await annotateSeries(sourceUrl, noted, { host: 'b' }, range, [
        { startTime: (t0 + 7 * MIN) / 1000, description: 'b only', custom: { ticket: 'OPS-1' } } as never,
      ]);
      // One outside the backup's range: not backed up.
      await annotateSeries(sourceUrl, noted, { host: 'a' }, { start: range.start, end: range.end + 120 * MIN }, [
        { startTime: (t0 + 90 * MIN) / 1000, description: 'later' },
      ]);
      await postGlobalAnnotation(sourceUrl, {
        startTime: (t0 + 10 * MIN) / 1000,
        endTime: (t0 + 12 * MIN) / 1000,
        description: 'outage',
        notes: 'all regions',
        custom: { sev: '1' },
      });
      await postGlobalAnnotation(sourceUrl, { startTime: t0 + 30 * MIN + 5, description: 'maintenance (ms)' });
      const uids = uidsOf(tsuid);
      await setUidMeta(sourceUrl, 'metric', uids.metric, { displayName: 'Noted', description: 'a metric with notes', custom: { owner: 'team-a' } });
      await setUidMeta(sourceUrl, 'tagk', uids.tagk, { description: 'the host' });
      await setUidMeta(sourceUrl, 'tagv', uids.tagv, { notes: 'host a', displayName: 'A' });
      await setTsMeta(sourceUrl, noted, { host: 'a' }, { displayName: 'noted on a', units: 'ms', custom: { k: 'v' }, retention: 30, max: 100 });
      const window = ['--start', String(range.start), '--end', String(range.end), '--json'];

      const b = await cli(['full', '--source', sourceUrl, '--repo', repo, '--metric', `${prefix}.*`, ...window]);
      expect(b.code, b.stderr).toBe(0);
      expect(warnings(b.json)).toEqual([]);
      expect(summaryOf(b.json)).toMatchObject({ annotations: 3, globalAnnotations: 2, uidMeta: 3, tsMeta: 1 });
      const full = await manifestOf(repo, b);
      expect(full.version).toBe(2);
      expect(full.annotationsOmitted).toBeUndefined();
      expect(full.metadata).toMatchObject({ annotations: 3, globalAnnotations: 2, uidMeta: 3, tsMeta: 1 });
      expect(full.totals.points).toBe(90);
      // A later full backup without UID metadata; the restores below name the first one.
      const lean = await cli(['full', '--source', sourceUrl, '--repo', repo, '--metric', `${prefix}.*`, '--no-uid-meta', ...window]);
      expect(lean.code, lean.stderr).toBe(0);
      expect(summaryOf(lean.json)).toMatchObject({ annotations: 3, globalAnnotations: 2, uidMeta: 0, tsMeta: 1 });
      const v = await cli(['verify', '--repo', repo, '--all', '--json']);
      expect(v.code, v.stderr).toBe(0);

      const dry = await cli(['restore', full.id, '--repo', repo, '--target', targetUrl, '--dry-run', '--json']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(summaryOf(dry.json).metadata).toEqual({ annotations: 3, globalAnnotations: 2, uidMeta: 3, tsMeta: 1 });

      for (let round = 0; round < 2; round++) {
        const r = await cli(['restore', full.id, '--repo', repo, '--target', targetUrl, '--json']);
        expect(r.code, r.stderr).toBe(0);
        expect(warnings(r.json)).toEqual([]);
        expect(summaryOf(r.json).metadata).toEqual({ annotations: 3, globalAnnotations: 2, uidMeta: 3, tsMeta: 1 });
        const source = await readAnnotations(sourceUrl, noted, range);
        const target = await readAnnotations(targetUrl, noted, range);
        expect(source.series).toHaveLength(3);
        expect(target.series).toEqual(source.series);
        expect(source.globals).toHaveLength(2);
        expect(target.globals).toEqual(source.globals);
        const ts = await readTsMeta(targetUrl, noted);
        expect(ts).toHaveLength(1);
        expect(ts).toEqual(await readTsMeta(sourceUrl, noted));
        expect(ts[0]).toMatchObject({
          displayName: 'noted on a',
          units: 'ms',
          retention: 30,
          max: 100,
          custom: { k: 'v' },
          metric: { displayName: 'Noted', custom: { owner: 'team-a' } },
        });
      }

      // Only the plain metric: none of the noted metric's annotations or metadata go to the target, but the
      // metadata of the tag names its series use (host=a) does.
      const only = await cli(['restore', full.id, '--repo', repo, '--target', targetUrl, '--metric', plain, '--dry-run', '--json']);
      expect(only.code, only.stderr).toBe(0);
      expect(summaryOf(only.json).metadata).toEqual({ annotations: 0, globalAnnotations: 2, uidMeta: 2, tsMeta: 0 });
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
}
