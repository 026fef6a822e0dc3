// An interruption while verify reads a chunk (Ctrl-C, a lost lock) ends the run as an interruption:
// it is not a problem of the chunk, and must not turn into "repository damaged" (exit 4).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { InterruptedError, StorageError } from '../../src/errors.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { verify } from '../../src/verify/verify.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 4, 2);

describe('verify, interrupted', () => {
  let tsd: FakeTsd;
  const storage = new MemoryStorage();
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(
      tsd.url,
      Array.from({ length: 10 }, (_, i) => ({ metric: 'verified.metric', tags: { host: 'a' }, timestamp: T0 + i * 1000, value: String(i) })),
    );
    const repository = await Repository.init(storage, { now: new Date(T0) });
    await backup(
      { metrics: [], start: T0, end: T0 + 60_000, concurrency: 1, maxResponseBytes: 1 << 20, zstdLevel: 3 },
      { client: new TsdClient({ url: tsd.url }), repository },
    );
  });
  afterAll(async () => {
    await tsd.close();
  });

  it('a clean repository verifies without problems', async () => {
    const r = await verify({ concurrency: 2 }, { repository: await Repository.open(storage) });
    expect(r.problems).toEqual([]);
    expect(r.points).toBe(10);
  });

  it('an interruption while a chunk is read is rethrown, not reported as a damaged chunk', async () => {
    const ctl = new AbortController();
    const get = storage.get.bind(storage);
    const interrupting = Object.create(storage) as MemoryStorage;
    interrupting.get = async (key, opts) => {
      if (!key.startsWith('data/')) return get(key, opts);
      ctl.abort();
      throw new InterruptedError('interrupted');
    };
    const err = await verify({ concurrency: 2 }, { repository: await Repository.open(interrupting), signal: ctl.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
  });

  it('a storage failure ends the run as that failure, not as a damaged chunk', async () => {
    const get = storage.get.bind(storage);
    const failing = Object.create(storage) as MemoryStorage;
    failing.get = async (key, opts) => {
      if (key.startsWith('data/')) throw new StorageError(`cannot read ${key} in memory:: EACCES`);
      return get(key, opts);
    };
    const err = await verify({ concurrency: 2 }, { repository: await Repository.open(failing) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
  });
});
