// verify over a chain (or --all) plans once, with the totals of every backup it will check, so that the
// percentage and the "n/N chunks" it shows end where it ends (a plan per backup reset the totals while the
// counts ran on: "24/9 chunks", 100% halfway).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { chooseParent } from '../../src/backup/incremental-window.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import type { ProgressEvent } from '../../src/progress.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { verify } from '../../src/verify/verify.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 4, 2);

describe('verify progress', () => {
  let tsd: FakeTsd;
  const storage = new MemoryStorage();
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    const client = new TsdClient({ url: tsd.url });
    const repository = await Repository.init(storage, { now: new Date(T0) });
    const cfg = { metrics: [], concurrency: 1, maxResponseBytes: 1 << 20, zstdLevel: 3 };
    for (const [i, metric] of ['a.m', 'b.m'].entries()) {
      await putPoints(
        tsd.url,
        Array.from({ length: 10 }, (_, k) => ({ metric, tags: { host: 'h' }, timestamp: T0 + i * 3_600_000 + k * 1000, value: String(k) })),
      );
    }
    await backup({ ...cfg, start: T0, end: T0 + 60_000 }, { client, repository });
    const parent = chooseParent((await repository.manifests()).manifests, { url: tsd.url });
    await backup({ ...cfg, type: 'incremental', parent, start: T0 + 60_000, end: T0 + 2 * 3_600_000 }, { client, repository });
  });
  afterAll(async () => {
    await tsd.close();
  });

  it('plans once with the totals of the whole chain', async () => {
    const events: ProgressEvent[] = [];
    const r = await verify({ concurrency: 2 }, { repository: await Repository.open(storage), progress: (e) => events.push(e) });
    expect(r.problems).toEqual([]);
    expect(r.backups).toHaveLength(2);
    const plans = events.filter((e) => e.type === 'plan');
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ chunks: r.chunks, points: r.points });
    expect(events.filter((e) => e.type === 'chunk')).toHaveLength(r.chunks);
  });
});
