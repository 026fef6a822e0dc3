// Annotations against the fake TSD.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Repository } from '../../src/repository/repository.js';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { annotationsScenario } from '../scenarios/annotations.js';
import { annotateSeries } from '../support/annotate.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';

describe('annotations (fake TSD)', () => {
  const fakes: FakeTsd[] = [];
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
  });
  annotationsScenario('fake TSD', async () => {
    const [source, target] = await Promise.all([startFakeTsd({ autoCreateMetrics: true }), startFakeTsd()]);
    fakes.push(source, target);
    return { sourceUrl: source.url, targetUrl: target.url, prefix: 'annotated', t0: Date.UTC(2026, 3, 1) };
  });

  it('a version-1 backup that left annotations out still says so on restore', async () => {
    const [source, target] = await Promise.all([startFakeTsd({ autoCreateMetrics: true }), startFakeTsd()]);
    fakes.push(source, target);
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-annotations-v1-'));
    try {
      await initRepo(repo);
      const t0 = Date.UTC(2026, 3, 2);
      await putPoints(
        source.url,
        Array.from({ length: 5 }, (_, i) => ({ metric: 'old.noted', tags: { host: 'a' }, timestamp: t0 + i * 60_000, value: String(i) })),
      );
      await annotateSeries(source.url, 'old.noted', { host: 'a' }, { start: t0, end: t0 + 3_600_000 }, [{ startTime: t0 / 1000 + 60, description: 'deploy' }]);
      const b = await cli(['full', '--source', source.url, '--repo', repo, '--start', String(t0), '--end', String(t0 + 3_600_000), '--json']);
      expect(b.code, b.stderr).toBe(0);
      // What an earlier version wrote: manifest version 1, the annotation only counted.
      const r = await Repository.open(new LocalStorage(repo));
      const m = await r.readManifest(String(b.json.find((e) => e.type === 'summary')!.backupId));
      const { metadata: _m, ...rest } = m;
      await r.writeManifest({ ...rest, version: 1, annotationsOmitted: { total: 1, metrics: { 'old.noted': 1 } } });
      const restored = await cli(['restore', '--repo', repo, '--target', target.url, '--json']);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.json.filter((e) => e.type === 'warning').map((e) => e.message)).toEqual([
        expect.stringMatching(/1 annotation\(s\).*not backed up.*target will not have them/),
      ]);
      expect(restored.json.find((e) => e.type === 'summary')!.metadata).toEqual({ annotations: 0, globalAnnotations: 0, uidMeta: 0, tsMeta: 0 });
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});
