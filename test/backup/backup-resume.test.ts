// An interrupted backup is resumed, not read again: the run records its plan and each stored window
// in the repository, and the next backup of the same source, type, parent and selection goes on from
// there. The resumed backup holds exactly the points an uninterrupted one does.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, type BackupOptions } from '../../src/backup/backup.js';
import { referencedKeys, type Manifest } from '../../src/format/manifest.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { prune } from '../../src/prune/prune.js';
import { interruptedRuns } from '../../src/repository/backup-runs.js';
import { storedProgress } from '../../src/backup/run-journal.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { annotateSeries } from '../support/annotate.js';
import { readMetadata } from '../../src/repository/metadata-reader.js';
import { pointsOfBackup as pointsOf } from '../support/backup-points.js';

const T0 = Date.UTC(2026, 5, 1);
const HOUR = 3_600_000;
const METRICS = ['resume.a', 'resume.b', 'resume.c'];
const HOURS = 12;

describe('resuming an interrupted backup', () => {
  let tsd: FakeTsd;
  let queries = 0;
  /** Aborts the running backup when the query count reaches it. */
  let abortAt: { count: number; controller: AbortController } | undefined;
  let failMetric: string | undefined;
  /** A metric the source answers as unknown (deleted). */
  let gone: string | undefined;

  beforeAll(async () => {
    tsd = await startFakeTsd({
      autoCreateMetrics: true,
      faults: (req) => {
        if (!req.path.startsWith('/api/query')) return undefined;
        queries++;
        if (abortAt && queries >= abortAt.count) abortAt.controller.abort();
        if (failMetric && req.body.toString('utf8').includes(`"${failMetric}"`)) return 'reset';
        if (gone && req.body.toString('utf8').includes(`"${gone}"`))
          return { status: 400, body: { error: { code: 400, message: `No such name for 'metrics': '${gone}'` } } };
        return undefined;
      },
    });
    const points = [];
    for (const metric of METRICS) {
      for (const host of ['a', 'b']) {
        // A point a minute; every third value a float, and one series holds integers only.
        for (let i = 0; i < HOURS * 60; i++)
          points.push({ metric, tags: { host }, timestamp: T0 + i * 60_000, value: host === 'a' && i % 3 === 0 ? `${i}.5` : String(i) });
      }
    }
    await putPoints(tsd.url, points);
    // Annotations early, in the middle and late in the range: the interrupted run reads some, the resumed one the rest.
    for (const metric of METRICS) {
      await annotateSeries(
        tsd.url,
        metric,
        { host: 'a' },
        { start: T0, end: T0 + HOURS * HOUR },
        [1, 6, 11].map((h) => ({ startTime: Math.floor((T0 + h * HOUR) / 1000), description: `${metric} at ${h}h` })),
      );
    }
  });
  afterAll(async () => {
    await tsd.close();
  });

  const client = (): TsdClient => new TsdClient({ url: tsd.url, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 2 } });
  // Windows of about two hours of one metric: each metric takes several windows.
  const opts: BackupOptions = {
    metrics: [],
    start: T0,
    end: T0 + HOURS * HOUR - 1,
    concurrency: 1,
    maxResponseBytes: 1 << 20,
    zstdLevel: 3,
    sizing: { initialWindowMs: 2 * HOUR, targetPoints: 240, minWindowMs: 60_000 },
  };

  async function uninterrupted(): Promise<{ repo: Repository; manifest: Manifest; queries: number }> {
    const repo = await Repository.init(new MemoryStorage(), { now: new Date(T0) });
    queries = 0;
    const r = await backup(opts, { client: client(), repository: repo });
    return { repo, manifest: r.manifest, queries };
  }

  /** A repository holding a backup stopped after half of the queries an uninterrupted one sends. */
  async function interruptedHalfway(wholeQueries: number): Promise<{ storage: MemoryStorage; repo: Repository }> {
    const storage = new MemoryStorage();
    const repo = await Repository.init(storage, { now: new Date(T0) });
    queries = 0;
    abortAt = { count: Math.floor(wholeQueries / 2), controller: new AbortController() };
    await expect(backup(opts, { client: client(), repository: repo, signal: abortAt.controller.signal })).rejects.toThrow();
    abortAt = undefined;
    return { storage, repo };
  }

  it('a backup stopped half-way is resumed by the next run: the rest is read once, and it holds every point', async () => {
    const whole = await uninterrupted();
    const expected = await pointsOf(whole.repo, whole.manifest);
    expect(expected.length).toBe(METRICS.length * 2 * HOURS * 60);

    const { storage, repo } = await interruptedHalfway(whole.queries);
    const firstQueries = queries;
    const [run] = await interruptedRuns(repo);
    expect(run?.journal.length).toBeGreaterThan(0);
    expect([...storage.objects.keys()].filter((k) => k.startsWith('backups/'))).toEqual([]);

    queries = 0;
    const events: string[] = [];
    const resumed = await backup(opts, { client: client(), repository: repo, progress: (e) => void (e.type === 'notice' && events.push(e.message)) });
    expect(events.join('\n')).toMatch(
      new RegExp(`resuming the interrupted backup ${run!.run.id} .*[0-9]+ of 3 metrics done, [1-9][0-9]* points already stored`),
    );
    expect(resumed.manifest.id).toBe(run!.run.id);
    expect(resumed.resumed?.chunks).toBeGreaterThan(0);
    expect(await pointsOf(repo, resumed.manifest)).toEqual(expected);
    expect(resumed.manifest.totals.series).toBe(whole.manifest.totals.series);
    // The annotations of the windows the interrupted run stored were recorded with them, not lost.
    expect(resumed.manifest.metadata?.annotations).toBe(METRICS.length * 3);
    const { format: _f, ...content } = await readMetadata(repo, resumed.manifest.metadata!);
    const { format: _g, ...expectedContent } = await readMetadata(whole.repo, whole.manifest.metadata!);
    expect(content).toEqual(expectedContent);
    expect(resumed.manifest.metrics).toEqual(whole.manifest.metrics.map((m) => ({ ...m, chunks: expect.any(Number) })));
    // The two runs together read little more than one uninterrupted run: what was in flight when it stopped.
    expect(firstQueries + queries).toBeLessThanOrEqual(whole.queries + 3);
    expect(queries).toBeLessThan(whole.queries);
    // The record of the run is gone once its manifest is written.
    expect([...storage.objects.keys()].filter((k) => k.startsWith('runs/'))).toEqual([]);
  });

  it('a metric the source could not serve is the only one read again', async () => {
    const whole = await uninterrupted();
    const repo = await Repository.init(new MemoryStorage(), { now: new Date(T0) });
    failMetric = 'resume.b';
    await expect(backup(opts, { client: client(), repository: repo })).rejects.toMatchObject({ code: 'BACKUP_INCOMPLETE' });
    failMetric = undefined;
    queries = 0;
    const r = await backup(opts, { client: client(), repository: repo });
    const perMetric = whole.queries / METRICS.length;
    expect(queries).toBeLessThanOrEqual(perMetric + 2);
    expect(await pointsOf(repo, r.manifest)).toEqual(await pointsOf(whole.repo, whole.manifest));
    expect(r.resumed?.metricsDone).toBe(2);
  });

  it('prune keeps the chunks of an interrupted backup, which is then resumed whole', async () => {
    const whole = await uninterrupted();
    const { storage, repo } = await interruptedHalfway(whole.queries);
    const chunksBefore = [...storage.objects.keys()].filter((k) => k.startsWith('data/'));
    expect(chunksBefore.length).toBeGreaterThan(0);
    const pruned = await prune({ rules: { last: 1 }, dryRun: false }, { repository: repo });
    expect(pruned.unreferencedChunks).toBe(0);
    expect(pruned.interrupted).toEqual([expect.objectContaining({ id: expect.any(String), chunks: chunksBefore.length })]);
    const r = await backup(opts, { client: client(), repository: repo });
    expect(await pointsOf(repo, r.manifest)).toEqual(await pointsOf(whole.repo, whole.manifest));
  });

  it('an interrupted incremental whose parent prune removes can never be resumed: prune removes it and its chunks', async () => {
    const storage = new MemoryStorage();
    const repo = await Repository.init(storage, { now: new Date(T0) });
    const first = await backup({ ...opts, end: T0 + 6 * HOUR - 1 }, { client: client(), repository: repo, now: () => new Date(T0 + 1000) });
    failMetric = 'resume.c';
    const incremental = { ...opts, type: 'incremental' as const, parent: first.manifest, start: T0 + 6 * HOUR, end: T0 + HOURS * HOUR - 1 };
    await expect(backup(incremental, { client: client(), repository: repo, now: () => new Date(T0 + 2000) })).rejects.toMatchObject({
      code: 'BACKUP_INCOMPLETE',
    });
    failMetric = undefined;
    await backup(opts, { client: client(), repository: repo, now: () => new Date(T0 + 3000) });
    const kept = await prune({ rules: { last: 2 }, dryRun: false }, { repository: repo });
    expect(kept.interrupted).toEqual([expect.objectContaining({ keep: true })]);
    const pruned = await prune({ rules: { last: 1 }, dryRun: false }, { repository: repo });
    expect(pruned.removedBackups).toEqual([first.manifest.id]);
    expect(pruned.interrupted).toEqual([expect.objectContaining({ keep: false, type: 'incremental' })]);
    expect(await interruptedRuns(repo)).toEqual([]);
    const left = new Set((await repo.manifests()).manifests.flatMap(referencedKeys));
    expect([...storage.objects.keys()].filter((k) => k.startsWith('data/') && !left.has(k))).toEqual([]);
  });

  it('an interrupted full backup overtaken by a later full one of the same source and selection is removed by prune', async () => {
    const storage = new MemoryStorage();
    const repo = await Repository.init(storage, { now: new Date(T0) });
    failMetric = 'resume.c';
    await expect(backup(opts, { client: client(), repository: repo, now: () => new Date(T0 + 1000) })).rejects.toMatchObject({ code: 'BACKUP_INCOMPLETE' });
    failMetric = undefined;
    // Another start (as `--start 30d-ago` computes on every run): not the same backup, so not resumed.
    const later = await backup({ ...opts, start: T0 + 1 }, { client: client(), repository: repo, now: () => new Date(T0 + 2000) });
    expect(later.resumed).toBeUndefined();
    expect(await interruptedRuns(repo)).toHaveLength(1);
    const pruned = await prune({ rules: { last: 5 }, dryRun: false }, { repository: repo });
    expect(pruned.interrupted).toEqual([expect.objectContaining({ keep: false, type: 'full' })]);
    expect(await interruptedRuns(repo)).toEqual([]);
    const left = new Set((await repo.manifests()).manifests.flatMap(referencedKeys));
    expect([...storage.objects.keys()].filter((k) => k.startsWith('data/') && !left.has(k))).toEqual([]);
  });

  it("'never' discards the interrupted run and starts over; 'require' without one is an error; another selection starts its own", async () => {
    const repo = await Repository.init(new MemoryStorage(), { now: new Date(T0) });
    await expect(backup({ ...opts, resume: 'require' }, { client: client(), repository: repo })).rejects.toMatchObject({
      code: 'BACKUP_NOT_FOUND',
      message: expect.stringMatching(/no interrupted full backup .* to resume/),
    });
    failMetric = 'resume.c';
    await expect(backup(opts, { client: client(), repository: repo })).rejects.toMatchObject({ code: 'BACKUP_INCOMPLETE' });
    failMetric = undefined;
    const [first] = await interruptedRuns(repo);
    // Another selection is another backup: it neither resumes nor removes the interrupted one.
    const other = await backup({ ...opts, metrics: ['resume.a'] }, { client: client(), repository: repo });
    expect(other.resumed).toBeUndefined();
    expect((await interruptedRuns(repo)).map((r) => r.run.id)).toEqual([first!.run.id]);
    const notices: string[] = [];
    const fresh = await backup(
      { ...opts, resume: 'never' },
      { client: client(), repository: repo, now: () => new Date(T0 + 5000), progress: (e) => void (e.type === 'notice' && notices.push(e.message)) },
    );
    expect(fresh.resumed).toBeUndefined();
    expect(fresh.manifest.id).not.toBe(first!.run.id);
    expect(notices.join('\n')).toContain(`discarded the interrupted backup ${first!.run.id}`);
    expect(await interruptedRuns(repo)).toEqual([]);
  });

  it('a run whose manifest was written before its record was removed is cleaned up, not resumed', async () => {
    const storage = new MemoryStorage();
    const repo = await Repository.init(storage, { now: new Date(T0) });
    const done = await backup(opts, { client: client(), repository: repo });
    // As if killed right after the manifest: put a record of the run back.
    const { writeBackupRun } = await import('../../src/repository/backup-runs.js');
    await writeBackupRun(repo, {
      format: 'tsdb-backup-run',
      version: 1,
      id: done.manifest.id,
      type: 'full',
      parent: null,
      tool: done.manifest.tool,
      source: done.manifest.source,
      range: done.manifest.range,
      selection: done.manifest.selection,
      chainStart: T0,
      startedAt: done.manifest.startedAt,
      plan: METRICS,
    });
    const again = await backup(opts, { client: client(), repository: repo, now: () => new Date(T0 + 5000) });
    expect(again.resumed).toBeUndefined();
    expect(again.manifest.id).not.toBe(done.manifest.id);
    expect([...storage.objects.keys()].filter((k) => k.startsWith('runs/'))).toEqual([]);
  });

  // A metric an interrupted run had partly stored, and that the source no longer knows when the run is
  // resumed (deleted meanwhile, e.g. `tsdb uid delete` or a cleanup job): the resumed backup keeps the
  // points the interrupted run had stored, and says so (it once dropped them with exit 0).
  it('a metric deleted from the source before the resume keeps what was stored of it, with a warning', async () => {
    const repo = await Repository.init(new MemoryStorage(), { now: new Date(T0) });
    queries = 0;
    abortAt = { count: 4, controller: new AbortController() };
    await expect(backup(opts, { client: client(), repository: repo, signal: abortAt.controller.signal })).rejects.toThrow();
    abortAt = undefined;
    const [run] = await interruptedRuns(repo);
    const stored = storedProgress(run!.journal);
    const partly = [...stored].find(([, p]) => !p.done && p.chunks.length > 0)!;
    gone = partly[0];
    const warnings: string[] = [];
    const r = await backup(opts, { client: client(), repository: repo, progress: (e) => void (e.type === 'warning' && warnings.push(e.message)) });
    gone = undefined;
    const storedPoints = partly[1].chunks.reduce((n, c) => n + c.points, 0);
    expect(r.manifest.metrics.find((m) => m.name === partly[0])).toMatchObject({ points: storedPoints });
    expect(warnings.join('\n')).toContain(`${partly[0]} is no longer in`);
    expect(warnings.join('\n')).toContain(`keeps the ${storedPoints} points`);
  });
});
