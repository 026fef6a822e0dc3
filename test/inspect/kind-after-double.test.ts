// An integer printed as a double ("2.0") proves the NEXT point is a float (kind-inference.ts). Taking
// the "2.0" as the backup's integer 2 and then also taking the next "3.0" as the backup's integer 3 is
// inconsistent: the target/cluster holds a float 3.0 where the backup holds an integer 3.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { compareWithCluster } from '../../src/inspect/compare.js';
import { settleClusterKinds } from '../../src/inspect/cluster-kinds.js';
import { KIND_FLOAT, KIND_INT } from '../../src/format/point-value.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { restoreOnto } from '../support/restore-onto.js';
import type { PointSet } from '../../src/inspect/point-set.js';

const T0 = Date.UTC(2026, 6, 4);

describe('settleClusterKinds (unit)', () => {
  it('does not take a "3.0" after an integer printed "2.0" as the integer 3', () => {
    const series = [{ metric: 'k', tags: { h: 'a' }, timestamps: [T0 + 1000, T0 + 2000], kinds: [KIND_FLOAT, KIND_FLOAT], values: [2, 3] }] as any;
    const backup: PointSet = new Map([
      [
        'k{h=a}',
        {
          metric: 'k',
          tags: { h: 'a' },
          points: new Map([
            [T0 + 1000, { kind: KIND_INT, value: 2 }],
            [T0 + 2000, { kind: KIND_INT, value: 3 }],
          ]),
        },
      ],
    ]) as any;
    settleClusterKinds('k', series, backup);
    // p0 taken as the integer 2 means p1 is a float: both cannot be the backup's integers.
    expect(series[0].kinds).not.toEqual([KIND_INT, KIND_INT]);
  });
});

describe('the conflict check, after an integer printed as a double', () => {
  it('refuses a target holding the float 3.0 after the integer 2, where the backup holds the integers 2 and 3', async () => {
    const at = (ms: number, value: string) => ({ metric: 'k.m', tags: { h: 'a' }, timestamp: T0 + ms, value });
    const err = await restoreOnto([at(1000, '2'), at(2000, '3')], [at(1000, '2'), at(2000, '3.0')], { start: T0, end: T0 + 3_600_000 });
    expect((err as { code?: string } | undefined)?.code).toBe('RESTORE_CONFLICT');
  });
});

describe('compare: a kind change after an integer printed as a double', () => {
  let src: FakeTsd;
  const storage = new MemoryStorage();
  beforeAll(async () => {
    src = await startFakeTsd({ autoCreateMetrics: true, fixDuplicates: true });
    await putPoints(src.url, [
      { metric: 'k.m', tags: { h: 'a' }, timestamp: T0 + 1000, value: '2' },
      { metric: 'k.m', tags: { h: 'a' }, timestamp: T0 + 2000, value: '3' },
    ]);
    const repository = await Repository.init(storage, { now: new Date(T0) });
    await backup(
      { metrics: [], start: T0, end: T0 + 3_600_000, concurrency: 1, maxResponseBytes: 1 << 20, zstdLevel: 3 },
      { client: new TsdClient({ url: src.url }), repository },
    );
  });
  afterAll(async () => src.close());

  it('reports the float 3.0 that replaced the integer 3 (the window is read: another point was added to it)', async () => {
    await putPoints(src.url, [
      { metric: 'k.m', tags: { h: 'a' }, timestamp: T0 + 2000, value: '3.0' },
      { metric: 'k.m', tags: { h: 'b' }, timestamp: T0 + 5000, value: '1' },
    ]);
    const r = await compareWithCluster({}, { repository: await Repository.open(storage), client: new TsdClient({ url: src.url }) });
    expect(r.metrics.map((m) => [m.metric, m.windowsRead, m.missingFromBackup, m.missingFromCluster, m.changed])).toEqual([['k.m', 1, 1, 0, 1]]);
  });
});
