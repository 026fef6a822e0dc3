// A "3.0" followed (in the same answer) by a point printed as an integer is a float: an integer 3 would
// have printed "3", since only a float next makes an integer print as a double (kind-inference.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { settleClusterKinds } from '../../src/inspect/cluster-kinds.js';
import { KIND_FLOAT, KIND_INT } from '../../src/format/point-value.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { restore } from '../../src/restore/restore.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import type { PointSet } from '../../src/inspect/point-set.js';

const T0 = Date.UTC(2026, 6, 4);

describe('a "3.0" before a point printed "4"', () => {
  it('settleClusterKinds leaves it a float', () => {
    const series = [{ metric: 'k', tags: { h: 'a' }, timestamps: [T0 + 1000, T0 + 2000], kinds: [KIND_FLOAT, KIND_INT], values: [3, 4] }] as any;
    const backup: PointSet = new Map([['k{h=a}', { metric: 'k', tags: { h: 'a' }, points: new Map([[T0 + 1000, { kind: KIND_INT, value: 3 }], [T0 + 2000, { kind: KIND_INT, value: 4 }]]) }]]) as any;
    settleClusterKinds('k', series, backup);
    expect(series[0].kinds[0]).toBe(KIND_FLOAT);
  });

  describe('the conflict check', () => {
    let source: FakeTsd;
    let target: FakeTsd;
    const storage = new MemoryStorage();
    beforeAll(async () => {
      source = await startFakeTsd({ autoCreateMetrics: true });
      target = await startFakeTsd({ autoCreateMetrics: true });
      await putPoints(source.url, [
        { metric: 'n.m', tags: { h: 'a' }, timestamp: T0 + 1000, value: '3' },
        { metric: 'n.m', tags: { h: 'a' }, timestamp: T0 + 2000, value: '4' },
      ]);
      const repository = await Repository.init(storage, { now: new Date(T0) });
      await backup({ metrics: [], start: T0, end: T0 + 3_600_000, concurrency: 1, maxResponseBytes: 1 << 20, zstdLevel: 3 }, { client: new TsdClient({ url: source.url }), repository });
      await putPoints(target.url, [
        { metric: 'n.m', tags: { h: 'a' }, timestamp: T0 + 1000, value: '3.0' },
        { metric: 'n.m', tags: { h: 'a' }, timestamp: T0 + 2000, value: '4' },
      ]);
    });
    afterAll(async () => {
      await source.close();
      await target.close();
    });
    it('refuses the restore (the target holds the float 3.0 where the backup writes the integer 3)', async () => {
      const err = await restore({ metrics: [], start: T0, end: T0 + 3_600_000, dryRun: false, concurrency: 1, gzip: false }, { repository: await Repository.open(storage), client: new TsdClient({ url: target.url }) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as any)?.code).toBe('RESTORE_CONFLICT');
    });
  });
});
