// A metric the source cannot serve does not throw away the others: backup finishes them, then fails
// naming what is missing, and writes no manifest (a backup missing data never looks complete).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { seededRandom } from '../support/flaky-proxy.js';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const T0 = Date.UTC(2026, 4, 2);
const METRICS = ['part.a', 'part.b', 'part.c', 'part.d'];

describe('backup with a metric the source cannot serve', () => {
  let tsd: FakeTsd;
  beforeAll(async () => {
    tsd = await startFakeTsd({
      autoCreateMetrics: true,
      // Every query for part.b breaks its connection: no retry and no split gets it.
      faults: (req) => (req.path.startsWith('/api/query') && req.body.toString('utf8').includes('"part.b"') ? 'reset' : undefined),
    });
    await putPoints(
      tsd.url,
      METRICS.flatMap((metric) => Array.from({ length: 10 }, (_, i) => ({ metric, tags: { host: 'a' }, timestamp: T0 + i * 1000, value: String(i) }))),
    );
  });
  afterAll(async () => {
    await tsd.close();
  });

  it('backs up the other metrics, then fails naming the missing metric and window, without a manifest', async () => {
    const storage = new MemoryStorage();
    const repository = await Repository.init(storage, { now: new Date(T0) });
    const client = new TsdClient({ url: tsd.url, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const err = await backup(
      { metrics: [], start: T0, end: T0 + 15_999, concurrency: 1, maxResponseBytes: 1 << 20, zstdLevel: 3, sizing: { minWindowMs: 4000 } },
      { client, repository },
    ).then(
      () => new Error('the backup succeeded') as Error & { code?: string; details?: unknown },
      (e: unknown) => e as Error & { code?: string; details?: unknown },
    );
    expect(err.code).toBe('BACKUP_INCOMPLETE');
    expect(err.message).toContain('part.b');
    expect(err.message).toMatch(/2026-05-02T00:00:0\d\.\d+Z/);
    expect(err.message).not.toMatch(/part\.[acd]/);
    expect(err.details).toMatchObject({ missing: [{ metric: 'part.b' }] });
    // the other metrics' chunks are in the repository (a rerun reuses them); no manifest was written
    const keys = [...storage.objects.keys()];
    expect(keys.filter((k) => k.startsWith('data/'))).toHaveLength(3);
    expect(keys.filter((k) => k.startsWith('backups/'))).toEqual([]);
  });

  it('through the CLI: exit 1 naming the metric, --json error with the missing metrics, no manifest', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-partial-'));
    try {
      await initRepo(dir);
      const r = await cli([
        'full',
        '--source',
        tsd.url,
        '--repo',
        dir,
        '--start',
        String(T0),
        '--end',
        String(T0 + 3999),
        '--retries',
        '1',
        '--min-window',
        '1s',
        '--concurrency',
        '1',
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/backup incomplete, no manifest written: 1 of 4 metric\(s\) could not be read[\s\S]*part\.b \[2026-05-02T00:00:0/);
      expect(r.json.at(-1)).toMatchObject({ type: 'error', exitCode: 1, code: 'BACKUP_INCOMPLETE', details: { missing: [{ metric: 'part.b' }] } });
      await expect(readdir(path.join(dir, 'backups'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a source failing 18% of queries with resets, 500s and 424s is backed up completely', async () => {
    const random = seededRandom(12345);
    let faults = 0;
    const kinds = [
      'reset',
      { status: 500, body: { error: { code: 500, message: 'injected' } } },
      { status: 424, body: { error: { code: 424, message: 'injected' } } },
    ] as const;
    const flaky = await startFakeTsd({
      autoCreateMetrics: true,
      metaTracking: true,
      faults: (req) => {
        if (!req.path.startsWith('/api/query') || random() >= 0.18) return undefined;
        faults++;
        return kinds[Math.floor(random() * 3)];
      },
    });
    try {
      await putPoints(
        flaky.url,
        METRICS.filter((m) => m !== 'part.b').flatMap((metric) =>
          Array.from({ length: 40 }, (_, i) => ({ metric, tags: { host: 'a' }, timestamp: T0 + i * 1000, value: String(i) })),
        ),
      );
      const repository = await Repository.init(new MemoryStorage(), { now: new Date(T0) });
      // no retries: every failed query runs out of them, and its window is split instead
      const client = new TsdClient({ url: flaky.url, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 2 } });
      const r = await backup(
        {
          metrics: [],
          start: T0,
          end: T0 + 39_999,
          concurrency: 2,
          maxResponseBytes: 1 << 20,
          zstdLevel: 3,
          sizing: { minWindowMs: 1000, initialWindowMs: 8000, targetPoints: 8 },
        },
        { client, repository },
      );
      expect(r.manifest.totals.points).toBe(3 * 40);
      expect(faults).toBeGreaterThan(0);
    } finally {
      await flaky.close();
    }
  });
});
