// The last metric of a backup runs alone: the workers with nothing left to read lend it their share of
// queries (read-ahead-budget.ts), so that its windows are read several at a time, and the backup holds
// exactly the points it held without it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { decodeChunk } from '../../src/format/chunk-codec.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 7, 3);
const MIN = 60_000;

describe('a backup of one metric', () => {
  let tsd: FakeTsd;
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(tsd.url, Array.from({ length: 900 }, (_, i) => ({ metric: 'alone.m', tags: { h: String(i % 3) }, timestamp: T0 + i * 10_000, value: i % 5 === 0 ? `${i}.25` : String(i) })));
  });
  afterAll(async () => tsd.close());

  /** Backs up with `concurrency` workers through a client that counts its data queries in flight. */
  async function run(concurrency: number): Promise<{ maxInFlight: number; points: string[] }> {
    const real = new TsdClient({ url: tsd.url });
    const client = Object.create(real) as TsdClient;
    let now = 0;
    let max = 0;
    client.queryRaw = async (q, opts) => {
      now++;
      max = Math.max(max, now);
      try {
        await new Promise((r) => setTimeout(r, 20));
        return await real.queryRaw(q, opts);
      } finally {
        now--;
      }
    };
    const repository = await Repository.init(new MemoryStorage(), { now: new Date(T0) });
    const r = await backup(
      { metrics: ['alone.m'], start: T0, end: T0 + 9000 * 1000, concurrency, maxResponseBytes: 1 << 20, zstdLevel: 3, sizing: { initialWindowMs: 10 * MIN, minWindowMs: MIN, maxWindowMs: 86_400_000, targetPoints: 60 } },
      { client, repository },
    );
    const points: string[] = [];
    for (const c of r.manifest.chunks) {
      for (const s of decodeChunk(await repository.getChunk(c)).series) s.timestamps.forEach((ts, i) => points.push(`${s.tags.h}@${ts}=${s.kinds[i]}:${String(s.values[i])}`));
    }
    return { maxInFlight: max, points: points.sort() };
  }

  it('reads its windows with the idle workers too, and stores the same points', async () => {
    const one = await run(1);
    const four = await run(4);
    expect(one.maxInFlight).toBe(2); // its window and the one ahead
    expect(four.maxInFlight).toBe(5); // and one more for each of the 3 idle workers
    expect(four.points).toEqual(one.points);
    expect(four.points).toHaveLength(900);
  });
});
