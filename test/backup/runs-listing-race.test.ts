// under the append lock, another backup (a shard of the same set, or any other backup) may finish
// and remove its runs/ objects between this backup's listing of runs/ and its reads of them.
// interruptedRuns then throws NotFoundError, and the backup that was only starting fails.

import { describe, expect, it } from 'vitest';
import { interruptedRuns, writeBackupRun, writeRunJournal } from '../../src/repository/backup-runs.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import type { OpOptions, ObjectInfo } from '../../src/storage/storage.js';

const T0 = Date.UTC(2026, 5, 1);

/** Another process removes its finished run right after this one listed runs/. */
class RaceStorage extends MemoryStorage {
  raceOn = false;
  override async *list(prefix: string, opts?: OpOptions): AsyncIterable<ObjectInfo> {
    const items: ObjectInfo[] = [];
    for await (const o of super.list(prefix, opts)) items.push(o);
    if (this.raceOn && prefix === 'runs/') for (const k of [...this.objects.keys()]) if (k.startsWith('runs/')) this.objects.delete(k);
    yield* items;
  }
}

describe('runs/ listed while another backup removes its run', () => {
  it('interruptedRuns fails with NotFoundError instead of skipping the vanished run', async () => {
    const storage = new RaceStorage();
    const repo = await Repository.init(storage, { now: new Date(T0) });
    const id = '20260601T000000Z-abcdef';
    await writeBackupRun(repo, {
      format: 'tsdb-backup-run',
      version: 1,
      id,
      type: 'full',
      parent: null,
      tool: { name: 'tsdb-backup', version: 'x' },
      source: { url: 'http://a:4242', version: '2.4.1' },
      range: { start: T0, end: T0 + 1 },
      selection: { metrics: [] },
      chainStart: T0,
      set: { name: 's', shards: 2, shard: 1 },
      startedAt: new Date(T0).toISOString(),
      plan: ['m'],
    });
    await writeRunJournal(repo, { format: 'tsdb-backup-run-journal', version: 1, run: id, seq: 0, progress: [] }, 'w1');
    storage.raceOn = true;
    let err: unknown;
    try {
      await interruptedRuns(repo, { cleanUp: 'finished' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeUndefined();
  });
});
