// exportBackup's memory bound: a reader that does not read stops the export from reading further chunks;
// and the stdout writer's backpressure and EPIPE handling on a real stream.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWithBackpressure } from '../../src/cli/cli-io.js';
import { exportBackup } from '../../src/inspect/export.js';
import { OutputClosedError } from '../../src/inspect/export-errors.js';
import { Repository } from '../../src/repository/repository.js';
import { LocalStorage } from '../../src/storage/local-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import type { SeedPoint } from '../support/dataset.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';

const T0 = Date.UTC(2026, 5, 1, 12);

/** The storage with a count of the chunk reads. */
function counting(inner: Storage): { storage: Storage; chunkReads: () => number } {
  let reads = 0;
  const storage: Storage = {
    put: (k, d, o) => inner.put(k, d, o),
    flush: (o) => inner.flush(o),
    get: (k, o) => {
      if (k.startsWith('data/')) reads++;
      return inner.get(k, o);
    },
    stat: (k, o) => inner.stat(k, o),
    list: (p, o) => inner.list(p, o),
    delete: (k, o) => inner.delete(k, o),
    toString: () => inner.toString(),
  };
  return { storage, chunkReads: () => reads };
}

describe('exportBackup backpressure', () => {
  let tsd: FakeTsd;
  let repo: string;
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-export-core-'));
    await initRepo(repo);
    // 8 metrics of 3000 points: 8 chunks, each more than one 64 KiB buffer of lines.
    const pts: SeedPoint[] = [];
    for (let m = 0; m < 8; m++)
      for (let i = 0; i < 3000; i++)
        pts.push({ metric: `bp.m${m}`, tags: { host: 'a-rather-long-host-name' }, timestamp: T0 + i * 1000, value: String(i * 1000003) });
    await putPoints(tsd.url, pts, { concurrency: 4 });
    const r = await cli(['full', '--source', tsd.url, '--repo', repo, '--start', String(T0 - 60_000)], { now: () => new Date(T0 + 2 * 3_600_000) });
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await tsd.close();
    await rm(repo, { recursive: true, force: true });
  });

  it('a reader that does not read keeps the export from reading further chunks', async () => {
    const { storage, chunkReads } = counting(new LocalStorage(repo));
    const repository = await Repository.open(storage);
    let writes = 0;
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    const ac = new AbortController();
    const running = exportBackup(
      { metrics: [], start: Number.MIN_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER, format: 'jsonl' },
      { repository, signal: ac.signal, write: async () => void (++writes > 1 && (await stuck)) },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(writes).toBe(2);
    expect(chunkReads()).toBe(1);
    release();
    const result = await running;
    expect(result).toMatchObject({ points: 24_000, chunks: 8, metrics: 8, series: 8 });
    expect(chunkReads()).toBe(8);
  });

  it('the stdout writer waits for a slow stream to drain, and turns EPIPE into OutputClosedError', async () => {
    let consumed = 0;
    let pendingCallback: (() => void) | undefined;
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _enc, cb) {
        consumed += chunk.length;
        pendingCallback = cb;
      },
    });
    let resolved = false;
    const p = writeWithBackpressure(slow, 'x'.repeat(1000)).then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(consumed).toBe(1000);
    expect(resolved).toBe(false);
    pendingCallback!();
    await p;
    expect(resolved).toBe(true);

    const broken = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    broken.on('error', () => undefined);
    await expect(writeWithBackpressure(broken, 'line\n')).rejects.toBeInstanceOf(OutputClosedError);
    await expect(writeWithBackpressure(broken, 'line\n')).rejects.toBeInstanceOf(OutputClosedError);
  });
});
