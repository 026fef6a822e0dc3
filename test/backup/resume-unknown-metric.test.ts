// A metric an interrupted run had partly stored, and that the source no longer knows when the run is
// resumed (deleted meanwhile, e.g. `tsdb uid delete` or a cleanup job): the resumed backup keeps the
// points the interrupted run had stored, and says so (it once dropped them with exit 0).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, type BackupOptions } from '../../src/backup/backup.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { interruptedRuns } from '../../src/repository/backup-runs.js';
import { storedProgress } from '../../src/backup/run-journal.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 5, 1);
const HOUR = 3_600_000;
const METRICS = ['resume.a', 'resume.b'];
const HOURS = 12;

describe('resumed run, metric gone from the source', () => {
  let tsd: FakeTsd;
  let queries = 0;
  let abortAt: { count: number; controller: AbortController } | undefined;
  let gone: string | undefined;
  beforeAll(async () => {
    tsd = await startFakeTsd({
      autoCreateMetrics: true,
      faults: (req) => {
        if (!req.path.startsWith('/api/query')) return undefined;
        queries++;
        if (abortAt && queries >= abortAt.count) abortAt.controller.abort();
        if (gone && req.body.toString('utf8').includes(`"${gone}"`)) return { status: 400, body: { error: { code: 400, message: `No such name for 'metrics': '${gone}'` } } };
        return undefined;
      },
    });
    const points = [];
    for (const metric of METRICS) for (let i = 0; i < HOURS * 60; i++) points.push({ metric, tags: { host: 'a' }, timestamp: T0 + i * 60_000, value: String(i) });
    await putPoints(tsd.url, points);
  });
  afterAll(async () => tsd.close());
  const client = (): TsdClient => new TsdClient({ url: tsd.url, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 2 } });
  const opts: BackupOptions = { metrics: [], start: T0, end: T0 + HOURS * HOUR - 1, concurrency: 1, maxResponseBytes: 1 << 20, zstdLevel: 3, sizing: { initialWindowMs: 2 * HOUR, targetPoints: 240, minWindowMs: 60_000 } };

  it('keeps what was stored of it, with a warning', async () => {
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
