// A window's UID metadata GETs start once its chunks are stored, not while the window is encoded: a metric of
// 50,000 tag values sends 50,000 GETs, and their garbage on top of a window being encoded made the peak RSS of
// bench:shapes' wide shape 273-276 MB where it is 256-259 MB this way (the window itself is the peak).

import { describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 6, 3);

describe('UID metadata of a window', () => {
  it('is asked for only after the chunks of that window were handed to the repository', async () => {
    const tsd = await startFakeTsd({ autoCreateMetrics: true });
    try {
      await putPoints(
        tsd.url,
        Array.from({ length: 30 }, (_, i) => ({ metric: 'uid.after', tags: { host: `h${i}` }, timestamp: T0 + i * 1000, value: String(i) })),
      );
      // what happened, in order: a chunk handed to the repository, a UID metadata GET sent
      const events: string[] = [];
      class Watched extends MemoryStorage {
        override put(...args: Parameters<MemoryStorage['put']>): ReturnType<MemoryStorage['put']> {
          if (args[0].startsWith('data/')) events.push('chunk');
          return super.put(...args);
        }
      }
      class WatchedClient extends TsdClient {
        override request(...args: Parameters<TsdClient['request']>): ReturnType<TsdClient['request']> {
          if (args[0].path.startsWith('/api/uid/uidmeta')) events.push('uid');
          return super.request(...args);
        }
      }
      const repo = await Repository.init(new Watched(), { now: new Date(T0) });
      const client = new WatchedClient({ url: tsd.url, timeoutMs: 10_000 });
      const r = await backup(
        { metrics: ['uid.after'], start: T0 - 60_000, end: T0 + 3_600_000, concurrency: 1, maxResponseBytes: 64 << 20, zstdLevel: 3 },
        { client, repository: repo },
      );
      expect(r.manifest.totals.points).toBe(30);
      expect(events).toContain('uid');
      expect(events.indexOf('chunk')).toBeGreaterThanOrEqual(0);
      expect(events.indexOf('uid')).toBeGreaterThan(events.indexOf('chunk'));
    } finally {
      await tsd.close();
    }
  });
});
