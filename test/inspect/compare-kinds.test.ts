// compare reads a window that differs point by point from the cluster. OpenTSDB 2.4 prints an integer
// right before a float as a double ("3.0"): the reader must resolve it as the backup does
// (fetch/kind-inference.ts), or every such point shows as "changed" although nothing changed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { compareWithCluster } from '../../src/inspect/compare.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 6, 4);

describe('compare and value kinds', () => {
  let tsd: FakeTsd;
  const storage = new MemoryStorage();
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    // Per series: an integer first (no predecessor in the answer), an integer before a float, the float.
    await putPoints(
      tsd.url,
      ['a', 'b'].flatMap((h) => [
        { metric: 'k.m', tags: { h }, timestamp: T0 + 1000, value: '3' },
        { metric: 'k.m', tags: { h }, timestamp: T0 + 2000, value: '4' },
        { metric: 'k.m', tags: { h }, timestamp: T0 + 3000, value: '4.5' },
        { metric: 'k.m', tags: { h }, timestamp: T0 + 4000, value: '5' },
        { metric: 'k.m', tags: { h }, timestamp: T0 + 5000, value: '6.5' },
      ]),
    );
    const repository = await Repository.init(storage, { now: new Date(T0) });
    await backup(
      { metrics: [], start: T0, end: T0 + 3_600_000, concurrency: 1, maxResponseBytes: 1 << 20, zstdLevel: 3 },
      { client: new TsdClient({ url: tsd.url }), repository },
    );
  });
  afterAll(async () => {
    await tsd.close();
  });

  it('reports only the point added to a window it reads, not the integers the TSD printed as doubles', async () => {
    await putPoints(tsd.url, [{ metric: 'k.m', tags: { h: 'a' }, timestamp: T0 + 6000, value: '7' }]);
    const r = await compareWithCluster({}, { repository: await Repository.open(storage), client: new TsdClient({ url: tsd.url }) });
    expect(r.metrics.map((m) => [m.metric, m.windowsRead, m.missingFromBackup, m.missingFromCluster, m.changed])).toEqual([['k.m', 1, 1, 0, 0]]);
    expect(r.examples).toEqual([
      { difference: 'missingFromBackup', metric: 'k.m', tags: { h: 'a' }, timestamp: T0 + 6000, cluster: { kind: 'int', value: '7' } },
    ]);
  });
});
