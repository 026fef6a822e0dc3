// diff and compare walk the backup metric by metric (one metric's points in memory at a time) and report
// progress as the other commands do: the plan's chunks and points, each chunk read, the window being
// read from the cluster, each metric done.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { timeSlices } from '../../src/inspect/chain-points.js';
import { compareWithCluster } from '../../src/inspect/compare.js';
import { diffBackups } from '../../src/inspect/diff.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import type { ProgressEvent } from '../../src/progress.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 4, 2);
const METRICS = ['p.c', 'p.a', 'p.b'];

describe('diff and compare: metric by metric, with progress', () => {
  let tsd: FakeTsd;
  const storage = new MemoryStorage();
  const ids: string[] = [];
  const plans: Array<{ chunks: number; points: number }> = [];
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(
      tsd.url,
      METRICS.flatMap((metric) =>
        Array.from({ length: 20 }, (_, i) => ({ metric, tags: { host: `h${i % 2}` }, timestamp: T0 + i * 60_000, value: String(i) })),
      ),
    );
    const client = new TsdClient({ url: tsd.url });
    const repository = await Repository.init(storage, { now: new Date(T0) });
    const opts = {
      metrics: [],
      start: T0,
      end: T0 + 3_600_000,
      concurrency: 2,
      maxResponseBytes: 1 << 20,
      zstdLevel: 3,
      sizing: { initialWindowMs: 10 * 60_000, maxWindowMs: 10 * 60_000 },
    };
    for (let i = 0; i < 2; i++) {
      // Between the two backups a point is added to p.b.
      if (i === 1) await putPoints(tsd.url, [{ metric: 'p.b', tags: { host: 'h0' }, timestamp: T0 + 30 * 60_000 + 1, value: '99' }]);
      const { manifest } = await backup(opts, { client, repository, now: () => new Date(T0 + 2 * 3_600_000 + i) });
      ids.push(manifest.id);
      plans.push({ chunks: manifest.chunks.length, points: manifest.totals.points });
    }
    // Two backups of the same series at different times: before and after T0 + 10 min.
    for (const [i, [start, end]] of (
      [
        [T0, T0 + 10 * 60_000 - 1],
        [T0 + 10 * 60_000, T0 + 3_600_000],
      ] as Array<[number, number]>
    ).entries()) {
      const { manifest } = await backup({ ...opts, start, end }, { client, repository, now: () => new Date(T0 + 3 * 3_600_000 + i) });
      ids.push(manifest.id);
    }
  });
  afterAll(async () => {
    await tsd.close();
  });

  /** The metric of every chunk read, in order, must be one metric after another (never back to an earlier one). */
  function expectMetricByMetric(events: ProgressEvent[]): void {
    const order = events.flatMap((e) => (e.type === 'chunk' || e.type === 'metric-done' ? [e.metric] : []));
    const runs = order.filter((m, i) => i === 0 || order[i - 1] !== m);
    expect(runs).toEqual([...METRICS].sort());
  }

  it('diff reports the planned chunks and points of both chains, reads each chunk once and finishes each metric in turn', async () => {
    const events: ProgressEvent[] = [];
    const r = await diffBackups({ from: ids[0]!, to: ids[1]! }, { repository: await Repository.open(storage), progress: (e) => events.push(e) });
    expect(r).toMatchObject({ equal: false, metrics: [{ metric: 'p.b', pointsAdded: 1, pointsRemoved: 0, pointsChanged: 0 }] });
    const plan = events.find((e) => e.type === 'plan');
    expect(plan).toEqual({ type: 'plan', metrics: 3, chunks: plans[0]!.chunks + plans[1]!.chunks, points: plans[0]!.points + plans[1]!.points });
    expect(plans[0]!.chunks).toBeGreaterThan(3);
    const chunks = events.filter((e) => e.type === 'chunk');
    expect(chunks).toHaveLength(plan!.chunks!);
    expect(chunks.reduce((n, e) => n + e.points, 0)).toBe(plan!.points);
    expect(events.filter((e) => e.type === 'metric-done').map((e) => e.metric)).toEqual(['p.a', 'p.b', 'p.c']);
    expectMetricByMetric(events);
  });

  it('compare lists the metrics, reports its plan, the window it reads from the cluster and each metric done', async () => {
    const events: ProgressEvent[] = [];
    const r = await compareWithCluster(
      { backupId: ids[0]! },
      { repository: await Repository.open(storage), client: new TsdClient({ url: tsd.url }), progress: (e) => events.push(e) },
    );
    expect(r).toMatchObject({ equal: false, metricsMissingFromBackup: [] });
    expect(r.metrics.map((m) => [m.metric, m.missingFromBackup])).toEqual([
      ['p.a', 0],
      ['p.b', 1],
      ['p.c', 0],
    ]);
    expect(events[1]).toMatchObject({ type: 'phase', phase: 'listing metrics' });
    expect(events.filter((e) => e.type === 'plan').at(-1)).toEqual({ type: 'plan', metrics: 3, chunks: plans[0]!.chunks, points: plans[0]!.points });
    expect(events.filter((e) => e.type === 'chunk')).toHaveLength(plans[0]!.chunks);
    const windows = events.filter((e) => e.type === 'window');
    expect(windows).toEqual([{ type: 'window', metric: 'p.b', start: r.windows[0]!.start, end: r.windows[0]!.end }]);
    expectMetricByMetric(events);
  });

  /** The examples in one order (a slice lists its own in series order). */
  function inOrder<T extends { examples: Array<{ metric: string; tags: Record<string, string>; timestamp: number }> }>(r: T): T {
    const key = (e: T['examples'][number]): string => `${e.metric} ${JSON.stringify(e.tags)} ${String(e.timestamp).padStart(16, '0')}`;
    return { ...r, examples: [...r.examples].sort((a, b) => (key(a) < key(b) ? -1 : 1)) };
  }

  it('gives the same result whatever the size of its time slices', async () => {
    const repository = await Repository.open(storage);
    const client = new TsdClient({ url: tsd.url });
    for (const [from, to] of [
      [ids[0]!, ids[1]!],
      [ids[2]!, ids[3]!],
      [ids[3]!, ids[0]!],
    ] as Array<[string, string]>) {
      const whole = inOrder(await diffBackups({ from, to, examples: 1000 }, { repository }));
      const events: ProgressEvent[] = [];
      const sliced = inOrder(await diffBackups({ from, to, slicePoints: 3, examples: 1000 }, { repository, progress: (e) => events.push(e) }));
      expect(sliced).toEqual(whole);
      // Each chunk is reported once, however many slices it reaches into.
      expect(events.filter((e) => e.type === 'chunk')).toHaveLength((events.find((e) => e.type === 'plan') as { chunks: number }).chunks);
    }
    // The same series in both backups, at different times: points added and removed, no series.
    expect((await diffBackups({ from: ids[2]!, to: ids[3]!, slicePoints: 3 }, { repository })).metrics).toEqual(
      ['p.a', 'p.b', 'p.c'].map((metric) => ({
        metric,
        seriesAdded: 0,
        seriesRemoved: 0,
        pointsAdded: metric === 'p.b' ? 11 : 10,
        pointsRemoved: 10,
        pointsChanged: 0,
      })),
    );
    for (const backupId of ids) {
      const whole = inOrder(await compareWithCluster({ backupId, examples: 1000 }, { repository, client }));
      expect(inOrder(await compareWithCluster({ backupId, slicePoints: 3, examples: 1000 }, { repository, client }))).toEqual(whole);
    }
  });

  it('cuts time slices where a chunk starts, after about the given number of points', () => {
    const chunk = (start: number, end: number, points: number) => ({ entry: { points } as never, intervals: [{ start, end }] });
    expect(timeSlices([])).toEqual([]);
    expect(timeSlices([chunk(0, 9, 5), chunk(10, 19, 5)], 100)).toEqual([{ start: 0, end: 19 }]);
    expect(timeSlices([chunk(10, 19, 5), chunk(0, 9, 5), chunk(20, 29, 5)], 5)).toEqual([
      { start: 0, end: 9 },
      { start: 10, end: 19 },
      { start: 20, end: 29 },
    ]);
    // Chunks that start together (one window split by series) stay in one slice; a long chunk reaches over the cut.
    expect(timeSlices([chunk(0, 9, 5), chunk(0, 50, 5), chunk(20, 29, 5)], 5)).toEqual([
      { start: 0, end: 19 },
      { start: 20, end: 50 },
    ]);
  });
});
