// A backup asks the source for TS metadata metric by metric only when its meta table holds anything: one
// lookup of the whole table (limit 1) tells. A cluster of 10,000 small metrics without TS meta paid 10,000
// tsmeta scans before; one that has some still gets every one backed up.

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Repository } from '../../src/repository/repository.js';
import { readMetadata } from '../../src/repository/metadata-reader.js';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { setTsMeta } from '../support/metadata.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';
import { useTempDir } from '../support/temp-dir.js';

const T0 = Date.UTC(2026, 4, 1);
const metrics = Array.from({ length: 12 }, (_, i) => `probe.m${String(i).padStart(2, '0')}`);

describe('TS metadata of a backup', () => {
  const tmp = useTempDir('tsdb-backup-tsmeta-probe-');
  let tsd: FakeTsd | undefined;
  afterEach(async () => {
    await tsd?.close();
  });

  async function backup(): Promise<{ tsmetaCalls: number; lookups: number; tsMeta: Array<{ metric: string; description: string }> }> {
    const repo = path.join(tmp(), `repo-${Math.random().toString(36).slice(2)}`);
    await initRepo(repo);
    tsd!.stats.requests.length = 0;
    const r = await cli(['full', '--source', tsd!.url, '--repo', repo, '--start', String(T0), '--end', String(T0 + 3_600_000), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const paths = tsd!.stats.requests.map((q) => q.path);
    const repository = await Repository.open(new LocalStorage(repo));
    const manifest = await repository.readManifest(String(r.json.find((e) => e.type === 'summary')!.backupId));
    const content = manifest.metadata ? await readMetadata(repository, manifest.metadata) : undefined;
    return {
      tsmetaCalls: paths.filter((p) => p.startsWith('/api/uid/tsmeta')).length,
      lookups: paths.filter((p) => p.startsWith('/api/search/lookup')).length,
      tsMeta: (content?.tsMeta ?? []).map((m) => ({ metric: m.metric, description: m.description })),
    };
  }

  it('asks no metric for it when the meta table is empty, and every metric once it holds a row', async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(
      tsd.url,
      metrics.flatMap((metric) => [0, 1, 2].map((i) => ({ metric, tags: { host: 'a' }, timestamp: T0 + i * 60_000, value: String(i) }))),
    );

    const empty = await backup();
    expect(empty.lookups).toBe(1);
    expect(empty.tsmetaCalls).toBe(0);
    expect(empty.tsMeta).toEqual([]);

    await setTsMeta(tsd.url, 'probe.m07', { host: 'a' }, { description: 'the seventh' });
    const one = await backup();
    expect(one.lookups).toBe(1);
    expect(one.tsmetaCalls).toBe(metrics.length);
    expect(one.tsMeta).toEqual([{ metric: 'probe.m07', description: 'the seventh' }]);
  });
});
