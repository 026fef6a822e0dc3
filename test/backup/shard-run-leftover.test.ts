// a shard whose run record could not be removed after its shard record was stored (a kill right
// after commitShard, or a failed delete) leaves a run that no cleanUp ever removes: its id is the shard
// record's, and interruptedRuns only checks backups/<id>/manifest.json. A retry of the shard does nothing
// (joinSet: its record exists), so prune keeps listing it as interrupted and keeping its chunks forever.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { interruptedRuns } from '../../src/repository/backup-runs.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { prune } from '../../src/prune/prune.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import type { OpOptions } from '../../src/storage/storage.js';

const T0 = Date.UTC(2026, 5, 1);
const HOUR = 3_600_000;

class FailRunDelete extends MemoryStorage {
  fail = true;
  override async delete(key: string, opts?: OpOptions): Promise<void> {
    if (this.fail && key.endsWith('.run.json')) throw new Error('simulated: killed before the run record was removed');
    return super.delete(key, opts);
  }
}

describe('shard run left behind', () => {
  let tsd: FakeTsd;
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(tsd.url, [{ metric: 'm', tags: { h: '1' }, timestamp: T0, value: '1' }]);
  });
  afterAll(async () => tsd.close());
  it('is never cleaned up', async () => {
    const storage = new FailRunDelete();
    const repo = await Repository.init(storage, { now: new Date(T0) });
    const client = new TsdClient({ url: tsd.url });
    const r = await backup(
      {
        metrics: [],
        start: T0,
        end: T0 + HOUR,
        concurrency: 1,
        maxResponseBytes: 1 << 20,
        zstdLevel: 3,
        set: { name: 'nightly', shard: { index: 0, count: 1 } },
      },
      { client, repository: repo },
    );
    storage.fail = false;
    // What the next backup (any) and prune do:
    const left = await interruptedRuns(repo, { cleanUp: 'finished' });
    const pruned = await prune({ rules: { last: 5 }, dryRun: false }, { repository: repo });
    expect(left).toEqual([]);
  });
});
