// A metric with more series than the TSD can answer in one query (OpenTSDB 2.4 fails past ~16k) is
// read in tag-value partitions, completely, and restores exactly.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import type { SeedPoint } from '../support/dataset.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';

const T0 = Date.UTC(2026, 3, 1);

describe('series split (fake TSD answering at most 40 series per query)', () => {
  let source: FakeTsd;
  let target: FakeTsd;
  let repo: string;
  beforeAll(async () => {
    source = await startFakeTsd({ autoCreateMetrics: true, enableChunked: true, maxChunk: 1 << 20, maxSeriesPerQuery: 40 });
    target = await startFakeTsd();
    repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-split-'));
    await initRepo(repo);
    const points: SeedPoint[] = [];
    for (let h = 0; h < 400; h++) {
      const host = h % 3 === 0 ? `db-${h}` : h % 3 === 1 ? `Web${h}` : `${h}x`;
      for (let i = 0; i < 5; i++)
        points.push({ metric: 'wide.metric', tags: { host, pool: `p${h % 7}` }, timestamp: T0 + i * 60_000, value: String(h * 10 + i) });
    }
    await putPoints(source.url, points, { maxBodyBytes: 500_000 });
  });
  afterAll(async () => {
    await Promise.all([source.close(), target.close(), rm(repo, { recursive: true, force: true })]);
  });

  it('backs up all 400 series in partitions and restores them exactly', async () => {
    const b = await cli([
      'full',
      '--source',
      source.url,
      '--repo',
      repo,
      '--start',
      String(T0),
      '--end',
      String(T0 + 3_600_000),
      '--min-window',
      '1h',
      '--retries',
      '1',
      '--json',
    ]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.json.find((j) => j.type === 'summary')).toMatchObject({ series: 400, points: 2000 });
    const r = await cli(['restore', '--repo', repo, '--target', target.url, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    // The source cannot answer for all series at once either: compare what both TSDs store.
    const stored = (tsd: FakeTsd) =>
      new Map(
        tsd
          .dump()
          .filter((x) => x.metric === 'wide.metric')
          .map((x) => [`${x.tags.host}/${x.tags.pool}`, x.points.map((p) => `${p.ts}=${p.kind}:${p.text}`).join(' ')]),
      );
    const a = stored(source);
    expect(a.size).toBe(400);
    expect(stored(target)).toEqual(a);
  });
});
