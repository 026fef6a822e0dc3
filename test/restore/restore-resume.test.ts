// A restore records the chunks it has written in a journal; `--resume` skips them and writes the rest.
// Interrupted by a signal, by a put the target refuses, or with points it rejects: the resumed run
// writes only what was not written, and the target ends up with every point of the backup.

import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import type { ProgressEvent } from '../../src/progress.js';
import { Repository } from '../../src/repository/repository.js';
import { restore, type RestoreOptions } from '../../src/restore/restore.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { differences, snapshot } from '../support/compare-clusters.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import type { FaultInjector } from '../support/fake-tsd/options.js';
import { putPoints } from '../support/put-points.js';
import { useTempDir } from '../support/temp-dir.js';

const T0 = Date.UTC(2026, 4, 2);
const METRICS = 20;
const PER_METRIC = 5;
const names = Array.from({ length: METRICS }, (_, m) => `resume.m${String(m).padStart(2, '0')}`);

describe('restore --resume', () => {
  const tmp = useTempDir('tsdb-backup-resume-');
  let source: FakeTsd;
  let target: FakeTsd;
  let fault: FaultInjector | undefined;
  const storage = new MemoryStorage();
  let repository: Repository;
  let stateDir = '';
  beforeAll(async () => {
    source = await startFakeTsd({ autoCreateMetrics: true });
    const points = names.flatMap((metric) =>
      Array.from({ length: PER_METRIC }, (_, i) => ({ metric, tags: { host: 'a' }, timestamp: T0 + i * 1000, value: `${i}.25` })),
    );
    await putPoints(source.url, points);
    repository = await Repository.init(storage, { now: new Date(T0) });
    const r = await backup(
      { metrics: [], start: T0, end: T0 + 60_000, concurrency: 2, maxResponseBytes: 1 << 20, zstdLevel: 3 },
      { client: new TsdClient({ url: source.url }), repository },
    );
    expect(r.manifest.chunks).toHaveLength(METRICS);
  });
  beforeEach(async () => {
    await target?.close();
    fault = undefined;
    target = await startFakeTsd({ autoCreateMetrics: true, faults: (req) => fault?.(req) });
    stateDir = path.join(tmp(), `state-${Math.random().toString(36).slice(2)}`);
  });
  afterAll(async () => {
    await Promise.all([source.close(), target?.close()]);
  });

  const options = (over: Partial<RestoreOptions> = {}): RestoreOptions => ({
    metrics: [],
    start: T0,
    end: T0 + 60_000,
    dryRun: false,
    concurrency: 1,
    gzip: false,
    journal: { dir: stateDir, resume: false },
    ...over,
  });
  const run = (opts: RestoreOptions, deps: { signal?: AbortSignal; progress?: (e: ProgressEvent) => void } = {}) =>
    restore(opts, { repository, client: new TsdClient({ url: target.url, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }), ...deps });
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('the restore succeeded');
      },
      (e: unknown) => e as Error & { code: string; hint?: string; details?: { written: Record<string, unknown> } },
    );
  const expectTargetHoldsEverything = async () => {
    expect(differences(await snapshot(source.url, names, T0, T0 + 60_000), await snapshot(target.url, names, T0, T0 + 60_000))).toEqual([]);
  };
  const journals = async () => (await readdir(stateDir).catch(() => [])).filter((n) => n.endsWith('.jsonl'));

  it('a restore interrupted after 5 chunks is resumed: the rest is written, nothing twice, the journal removed', async () => {
    const ac = new AbortController();
    let written = 0;
    const err = await failure(run(options(), { signal: ac.signal, progress: (e) => e.type === 'written' && ++written === 5 && ac.abort() }));
    expect(err.code).toBe('INTERRUPTED');
    expect(err.message).toContain(`after writing ${5 * PER_METRIC} points and 5 of ${METRICS} chunks`);
    expect(err.details?.written).toMatchObject({ points: 5 * PER_METRIC, chunks: 5, journaled: 5 });
    expect(err.hint).toContain('restore --resume');
    expect(target.stats.pointsWritten).toBe(5 * PER_METRIC);
    expect(await journals()).toHaveLength(1);

    const notices: string[] = [];
    const r = await run(options({ journal: { dir: stateDir, resume: true } }), { progress: (e) => e.type === 'notice' && notices.push(e.message) });
    expect(r.resumed).toMatchObject({ chunks: 5, points: 5 * PER_METRIC });
    expect(r.chunksWritten).toBe(METRICS - 5);
    expect(r.written).toBe((METRICS - 5) * PER_METRIC);
    expect(notices.join('\n')).toMatch(/resuming the restore started at .*: 5 of 20 chunks and part of 0 more \(25 points\)/);
    // Each point went to the target once over both runs.
    expect(target.stats.pointsWritten).toBe(METRICS * PER_METRIC);
    expect(r.journal).toBeNull();
    expect(await journals()).toEqual([]);
    await expectTargetHoldsEverything();
  });

  it('a put the target refuses stops the restore; --resume writes only the chunks not written', async () => {
    fault = (req) =>
      req.path.startsWith('/api/put') && req.body.toString().includes('resume.m07')
        ? { status: 400, body: { error: { code: 400, message: 'refused by the test' } } }
        : undefined;
    const err = await failure(run(options()));
    expect(err.message).toMatch(/after writing 35 points and 7 of 20 chunks.*refused by the test/);
    expect(err.details?.written).toMatchObject({ journaled: 7 });
    fault = undefined;
    const before = target.stats.pointsWritten;
    const r = await run(options({ journal: { dir: stateDir, resume: true } }));
    expect(r.resumed?.chunks).toBe(7);
    expect(target.stats.pointsWritten - before).toBe((METRICS - 7) * PER_METRIC);
    await expectTargetHoldsEverything();
  });

  it('chunks with rejected points stay out of the journal, which is kept; --resume writes only them', async () => {
    let reject = true;
    fault = (req) => {
      if (!reject || !req.path.startsWith('/api/put') || !req.body.toString().includes('resume.m03')) return undefined;
      const points = JSON.parse(req.body.toString()) as unknown[];
      return { status: 400, body: { success: 0, failed: points.length, errors: points.map((datapoint) => ({ datapoint, error: 'rejected by the test' })) } };
    };
    const first = await run(options());
    expect(first.failed).toBe(PER_METRIC);
    expect(first.journal).toMatch(/restore-[0-9a-f]+\.jsonl$/);
    reject = false;
    const before = target.stats.pointsWritten;
    const r = await run(options({ journal: { dir: stateDir, resume: true } }));
    expect(r.resumed?.chunks).toBe(METRICS - 1);
    expect(target.stats.pointsWritten - before).toBe(PER_METRIC);
    expect(r.journal).toBeNull();
    await expectTargetHoldsEverything();
  });

  it('a torn last line (a kill during a write) is dropped and that chunk written again', async () => {
    const ac = new AbortController();
    let written = 0;
    await failure(run(options(), { signal: ac.signal, progress: (e) => e.type === 'written' && ++written === 3 && ac.abort() }));
    const [name] = await journals();
    await appendFile(path.join(stateDir, name!), '{"chunk":"2026');
    const notices: string[] = [];
    const r = await run(options({ journal: { dir: stateDir, resume: true } }), { progress: (e) => e.type === 'notice' && notices.push(e.message) });
    expect(r.resumed?.chunks).toBe(3);
    expect(notices.join('\n')).toContain('cut short');
    await expectTargetHoldsEverything();
  });

  it('damage other than a torn last line is reported with the file and line, and nothing is written', async () => {
    const ac = new AbortController();
    let written = 0;
    await failure(run(options(), { signal: ac.signal, progress: (e) => e.type === 'written' && ++written === 3 && ac.abort() }));
    const file = path.join(stateDir, (await journals())[0]!);
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[2] = 'garbage';
    await writeFile(file, lines.join('\n'));
    const before = target.stats.pointsWritten;
    const err = await failure(run(options({ journal: { dir: stateDir, resume: true } })));
    expect(err.code).toBe('STATE_INVALID');
    expect(err.message).toContain(`${file} is damaged at line 3`);
    expect(err.hint).toContain('without --resume');
    expect(target.stats.pointsWritten).toBe(before);
  });

  it('--resume refuses the journal of another restore into the same target, naming what differs', async () => {
    const ac = new AbortController();
    let written = 0;
    await failure(run(options({ metrics: ['resume.m0*'] }), { signal: ac.signal, progress: (e) => e.type === 'written' && ++written === 2 && ac.abort() }));
    const before = target.stats.pointsWritten;
    const err = await failure(run(options({ metrics: ['resume.m1*'], journal: { dir: stateDir, resume: true } })));
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain('--metric: the journal has ["resume.m0*"], this restore ["resume.m1*"]');
    const shifted = await failure(run(options({ metrics: ['resume.m0*'], transform: { shiftMs: 3_600_000 }, journal: { dir: stateDir, resume: true } })));
    expect(shifted.message).toContain('--shift (ms): the journal has 0, this restore 3600000');
    expect(target.stats.pointsWritten).toBe(before);
  });

  it('--resume refuses a journal whose recorded restore is not this one (a file copied or edited)', async () => {
    const ac = new AbortController();
    let written = 0;
    await failure(run(options(), { signal: ac.signal, progress: (e) => e.type === 'written' && ++written === 2 && ac.abort() }));
    const file = path.join(stateDir, (await journals())[0]!);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(target.url.replace(/\/$/, ''), 'http://elsewhere:4242'));
    const err = await failure(run(options({ journal: { dir: stateDir, resume: true } })));
    expect(err.code).toBe('STATE_INVALID');
    expect(err.message).toContain('belongs to another restore (target: the journal has "http://elsewhere:4242"');
  });

  it('without --resume, a journal of the same restore is mentioned and replaced, and every chunk written', async () => {
    const ac = new AbortController();
    let written = 0;
    await failure(run(options(), { signal: ac.signal, progress: (e) => e.type === 'written' && ++written === 4 && ac.abort() }));
    const notices: string[] = [];
    const before = target.stats.pointsWritten;
    const r = await run(options(), { progress: (e) => e.type === 'notice' && notices.push(e.message) });
    expect(notices.join('\n')).toMatch(/had written 4 of 20 chunks.*restore --resume/);
    expect(r.resumed).toBeUndefined();
    expect(target.stats.pointsWritten - before).toBe(METRICS * PER_METRIC);
    expect(await journals()).toEqual([]);
  });

  it('a second run of the same restore while the first runs is refused (the journal is locked)', async () => {
    let release!: () => void;
    const held = new Promise<undefined>((r) => (release = () => r(undefined)));
    let puts = 0;
    fault = (req) => (req.path.startsWith('/api/put') && ++puts === 2 ? held : undefined);
    const first = run(options());
    while (puts < 2) await new Promise((r) => setTimeout(r, 5));
    const err = await failure(run(options({ journal: { dir: stateDir, resume: true } })));
    expect(err.code).toBe('LOCKED');
    expect(err.message).toMatch(/the restore journal .* is in use by restore \(pid \d+/);
    release();
    expect((await first).written).toBe(METRICS * PER_METRIC);
    // Released: the next run takes it.
    expect((await run(options())).written).toBe(METRICS * PER_METRIC);
  });

  it('a chunk cut off midway is resumed without the points acknowledged, also those after a put still in flight', async () => {
    const big = 'resume.big';
    await putPoints(
      source.url,
      Array.from({ length: 3000 }, (_, i) => ({ metric: big, tags: { host: `h${i % 3}` }, timestamp: T0 + Math.floor(i / 3) * 1000, value: String(i) })),
    );
    const storage2 = new MemoryStorage();
    const repo2 = await Repository.init(storage2, { now: new Date(T0) });
    const b = await backup(
      { metrics: [big], start: T0, end: T0 + 3_600_000, concurrency: 1, maxResponseBytes: 1 << 20, zstdLevel: 3 },
      { client: new TsdClient({ url: source.url }), repository: repo2 },
    );
    expect(b.manifest.chunks).toHaveLength(1);
    const opts = options({ metrics: [big], end: T0 + 3_600_000, putConcurrency: 4 });
    const ac = new AbortController();
    let puts = 0;
    let release!: () => void;
    const held = new Promise<undefined>((r) => (release = () => r(undefined)));
    // The third put hangs; the ones after it are acknowledged until the ninth, where the restore is interrupted.
    fault = (req) => {
      if (!req.path.startsWith('/api/put')) return undefined;
      const n = ++puts;
      if (n === 3) return held;
      if (n === 9) ac.abort();
      return undefined;
    };
    const client = new TsdClient({ url: target.url });
    await failure(restore(opts, { repository: repo2, client, signal: ac.signal }));
    fault = undefined;
    // The hung put reaches the target now (its client gave up): let it land before counting.
    release();
    await new Promise((r) => setTimeout(r, 300));
    const before = target.stats.pointsWritten;
    const queries = target.stats.queries;
    const r = await restore({ ...opts, journal: { dir: stateDir, resume: true } }, { repository: repo2, client });
    // The interrupted run checked the chunk before writing it: its points in the target are not read back.
    expect(target.stats.queries).toBe(queries);
    expect(r.resumed).toMatchObject({ chunks: 0, partialChunks: 1 });
    // At least six bodies of ~100 points were acknowledged (two before the one that hung, four or more
    // after it): none is sent again.
    expect(r.resumed!.points).toBeGreaterThan(550);
    expect(r.written).toBe(3000 - r.resumed!.points);
    expect(target.stats.pointsWritten - before).toBe(r.written);
    expect(differences(await snapshot(source.url, [big], T0, T0 + 3_600_000), await snapshot(target.url, [big], T0, T0 + 3_600_000))).toEqual([]);
  });

  it('--resume without a journal writes everything and says so', async () => {
    const notices: string[] = [];
    const r = await run(options({ journal: { dir: stateDir, resume: true } }), { progress: (e) => e.type === 'notice' && notices.push(e.message) });
    expect(notices.join('\n')).toContain('no interrupted run of this restore left a journal');
    expect(r.written).toBe(METRICS * PER_METRIC);
  });
});
