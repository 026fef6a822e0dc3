// The shards of a backup set run at once in one repository: an interrupted shard is resumed by its own
// rerun, never by another shard, and the set's one backup holds the annotations of every shard's metrics.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, type BackupOptions } from '../../src/backup/backup.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { interruptedRuns } from '../../src/repository/backup-runs.js';
import { readMetadata } from '../../src/repository/metadata-reader.js';
import { Repository } from '../../src/repository/repository.js';
import { shardOf } from '../../src/shard/shard.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { annotateSeries } from '../support/annotate.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { postGlobalAnnotation } from '../support/metadata.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 5, 1);
const MIN = 60_000;
const METRICS = Array.from({ length: 8 }, (_, i) => `setrun.m${i}`);
const SHARDS = 2;

describe('backup set shards and their runs', () => {
  let tsd: FakeTsd;
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(
      tsd.url,
      METRICS.flatMap((metric) => Array.from({ length: 30 }, (_, i) => ({ metric, tags: { host: 'a' }, timestamp: T0 + i * MIN, value: String(i) }))),
    );
    for (const metric of METRICS)
      await annotateSeries(tsd.url, metric, { host: 'a' }, { start: T0, end: T0 + 30 * MIN }, [
        { startTime: Math.floor((T0 + 5 * MIN) / 1000), description: `note on ${metric}` },
      ]);
    await postGlobalAnnotation(tsd.url, { startTime: Math.floor((T0 + 7 * MIN) / 1000), description: 'maintenance' });
    expect(new Set(METRICS.map((m) => shardOf(m, SHARDS))).size).toBe(SHARDS);
  });
  afterAll(async () => {
    await tsd.close();
  });

  const options = (shard: number): BackupOptions => ({
    metrics: [],
    start: T0,
    end: T0 + 30 * MIN - 1,
    concurrency: 1,
    maxResponseBytes: 1 << 20,
    zstdLevel: 3,
    set: { name: 'nightly', shard: { index: shard, count: SHARDS } },
  });
  const client = (): TsdClient => new TsdClient({ url: tsd.url });

  it('an interrupted shard is resumed by its own rerun, not by another shard; the set holds every annotation once', async () => {
    const repo = await Repository.init(new MemoryStorage(), { now: new Date(T0) });
    const ac = new AbortController();
    // Stopped once its metrics are read and recorded (the journal is written in the background, after
    // the staged chunks it names are flushed), before its shard record is written.
    const stopAtMetadata = (e: { type: string; phase?: string }): void => void (e.type === 'phase' && e.phase === 'metadata' && ac.abort());
    await expect(backup(options(0), { client: client(), repository: repo, signal: ac.signal, progress: stopAtMetadata })).rejects.toThrow();
    expect((await interruptedRuns(repo)).map((r) => r.run.set)).toEqual([{ name: 'nightly', shards: SHARDS, shard: 0 }]);

    const other = await backup(options(1), { client: client(), repository: repo });
    expect(other.resumed).toBeUndefined();
    expect(other.manifest.metrics.map((m) => m.name)).toEqual(METRICS.filter((m) => shardOf(m, SHARDS) === 1));
    expect(other.set).toMatchObject({ missing: [0] });
    expect(other.set?.backupId).toBeUndefined();
    expect(await interruptedRuns(repo)).toHaveLength(1);

    const own = await backup(options(0), { client: client(), repository: repo });
    expect(own.resumed?.metricsDone).toBeGreaterThan(0);
    expect(own.set).toMatchObject({ missing: [], backupId: expect.any(String) });
    expect(await interruptedRuns(repo)).toEqual([]);

    const merged = await repo.readManifest(own.set!.backupId!);
    expect(merged.totals.metrics).toBe(METRICS.length);
    expect(merged.metadata).toMatchObject({ annotations: METRICS.length, globalAnnotations: 1 });
    const content = await readMetadata(repo, merged.metadata!);
    expect(content.annotations.map((a) => a.description).sort()).toEqual(METRICS.map((m) => `note on ${m}`).sort());
    expect(content.globalAnnotations.map((g) => g.description)).toEqual(['maintenance']);
  });
});
