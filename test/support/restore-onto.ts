// One restore between two fake TSDs: `source` is backed up whole over [start, end], then restored into a
// target that already holds `target`. Returns what the restore threw, or undefined when it succeeded.

import { backup } from '../../src/backup/backup.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { restore } from '../../src/restore/restore.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import type { SeedPoint } from './dataset.js';
import { startFakeTsd } from './fake-tsd/index.js';
import { putPoints } from './put-points.js';

export async function restoreOnto(source: SeedPoint[], target: SeedPoint[], range: { start: number; end: number }): Promise<unknown> {
  const from = await startFakeTsd({ autoCreateMetrics: true });
  const into = await startFakeTsd({ autoCreateMetrics: true });
  try {
    await putPoints(from.url, source);
    const storage = new MemoryStorage();
    const repository = await Repository.init(storage, { now: new Date(range.start) });
    await backup({ metrics: [], ...range, concurrency: 1, maxResponseBytes: 1 << 20, zstdLevel: 3 }, { client: new TsdClient({ url: from.url }), repository });
    await putPoints(into.url, target);
    return await restore(
      { metrics: [], ...range, dryRun: false, concurrency: 1, gzip: false },
      { repository: await Repository.open(storage), client: new TsdClient({ url: into.url }) },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
  } finally {
    await from.close();
    await into.close();
  }
}
