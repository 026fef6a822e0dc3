// The readers that compare a backup with a live TSD (restore --verify, restore's conflict check, compare)
// read a metric the way the backup does: counted first, split by series when it holds more than one query
// may return. Past that count 2.4.1 does not fail, it hangs (fetch/series-count.ts); the fake TSD here hangs
// as it does, so an uncounted read of the whole metric times out and the reader fails. Every difference
// must still be found, in whichever series partition it lies.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { MAX_SERIES_PER_QUERY } from '../../src/fetch/series-count.js';
import { compareWithCluster } from '../../src/inspect/compare.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { restore, type RestoreOptions } from '../../src/restore/restore.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 6, 3);
const WIDE = MAX_SERIES_PER_QUERY + 300;
const NARROW = 100;
const id = (i: number): string => `w-${String(i).padStart(5, '0')}`;
const point = (metric: string, i: number, value = String(i)) => ({ metric, tags: { id: id(i) }, timestamp: T0 + (i % 60) * 1000, value });

// Like 2.4.1: past the limit a query hangs instead of failing.
const hangingTsd = () => startFakeTsd({ autoCreateMetrics: true, maxSeriesPerQuery: MAX_SERIES_PER_QUERY + 100, seriesLimitBehavior: 'hang' });
// A hung query costs one timeout, not a retry loop.
const clientOf = (tsd: FakeTsd) => new TsdClient({ url: tsd.url, timeoutMs: 5_000, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 2 } });

describe('reads of a metric with more series than one query may return', () => {
  let source: FakeTsd;
  const storage = new MemoryStorage();
  const targets: FakeTsd[] = [];
  const restoreOptions: RestoreOptions = { metrics: [], start: T0 - 60_000, end: T0 + 3_600_000, dryRun: false, concurrency: 2, gzip: false };

  beforeAll(async () => {
    source = await hangingTsd();
    await putPoints(
      source.url,
      Array.from({ length: WIDE }, (_, i) => point('wide.r', i)),
    );
    await putPoints(
      source.url,
      Array.from({ length: NARROW }, (_, i) => point('narrow.r', i)),
    );
    const repo = await Repository.init(storage, { now: new Date(T0) });
    const r = await backup(
      { metrics: [], start: T0 - 60_000, end: T0 + 3_600_000, concurrency: 2, maxResponseBytes: 64 << 20, zstdLevel: 3 },
      { client: clientOf(source), repository: repo },
    );
    expect(r.manifest.totals.points).toBe(WIDE + NARROW);
  }, 120_000);
  afterAll(async () => {
    await source.close();
    for (const t of targets) await t.close();
  });

  const target = async (): Promise<FakeTsd> => {
    const t = await hangingTsd();
    targets.push(t);
    return t;
  };

  it('restore --verify with a tag map (the chunks filters no longer apply) reads the target split, and finds a point only the target holds', async () => {
    const t = await target();
    // A point the backup lacks, in one series of the restored metric: verify must report it.
    await putPoints(t.url, [{ metric: 'wide.r', tags: { id: id(4242) }, timestamp: T0 + 30_500, value: '7' }]);
    const r = await restore(
      { ...restoreOptions, metrics: ['wide.r'], verify: true, transform: { tagMap: [{ kind: 'value', key: 'id', from: id(7), to: 'renamed-7' }] } },
      { repository: await Repository.open(storage), client: clientOf(t) },
    );
    expect(r.points).toBe(WIDE);
    expect(r.verify).toMatchObject({ points: WIDE, missing: 0, changed: 0, extra: 1, unreadable: [] });
    expect(r.verify?.differences).toEqual([{ metric: 'wide.r', series: `wide.r{id=${id(4242)}}`, timestamp: T0 + 30_500, backup: null, target: '7' }]);
    expect(t.dump().find((s) => s.tags.id === 'renamed-7')?.points).toHaveLength(1);
  }, 120_000);

  it("the conflict check reads a target that holds the metric wider than the backup's chunk, and finds the one other value", async () => {
    const t = await target();
    // The target already holds the backup's 100 series of narrow.r (one with another value) and thousands more.
    await putPoints(
      t.url,
      Array.from({ length: WIDE }, (_, i) => point('narrow.r', i, i === 42 ? '-1' : String(i))),
    );
    const err = await restore({ ...restoreOptions, metrics: ['narrow.r'] }, { repository: await Repository.open(storage), client: clientOf(t) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'RESTORE_CONFLICT' });
    expect((err as { details: { conflicts: unknown } }).details.conflicts).toEqual({
      points: 1,
      differences: [{ metric: 'narrow.r', series: `narrow.r{id=${id(42)}}`, timestamp: T0 + 42_000, backup: '42', target: '-1' }],
      unreadable: [],
    });
  }, 120_000);

  it('compare reads a window that differs split by series, and names the series of the point the backup lacks', async () => {
    await putPoints(source.url, [{ metric: 'wide.r', tags: { id: id(4243) }, timestamp: T0 + 59_700, value: '9' }]);
    const r = await compareWithCluster({ metrics: ['wide.r'] }, { repository: await Repository.open(storage), client: clientOf(source) });
    expect(r.equal).toBe(false);
    expect(r.metrics.map((m) => [m.metric, m.backupPoints, m.missingFromBackup, m.missingFromCluster, m.changed])).toEqual([['wide.r', WIDE, 1, 0, 0]]);
    expect(r.examples).toEqual([
      { difference: 'missingFromBackup', metric: 'wide.r', tags: { id: id(4243) }, timestamp: T0 + 59_700, cluster: expect.anything() },
    ]);
  }, 120_000);
});
