// A long pass (one that starts long after the one before, e.g. after a pause) reads again a stretch
// longer than one window: what the previous passes copied there must still be known when its later
// windows come, or a point copied as an integer is written again as a float (it printed as a double
// once a float followed it), and the standby holds two values for one timestamp.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TsdClient } from '../../src/opentsdb/client.js';
import { silentProgress } from '../../src/progress.js';
import { selectMetrics } from '../../src/fetch/metric-selection.js';
import { DEFAULT_SIZING } from '../../src/fetch/window-sizer.js';
import { replicationReadOptions } from '../../src/replicate/replication-defaults.js';
import { replicateCycle } from '../../src/replicate/replicate-cycle.js';
import { stateFor } from '../../src/replicate/replication-state.js';
import type { CopiedPoints } from '../../src/replicate/copied-points.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { snapshot, differences } from '../support/compare-clusters.js';

const HOUR = 3_600_000;

describe('replicateCycle', () => {
  let primary: FakeTsd;
  let standby: FakeTsd;
  beforeAll(async () => {
    primary = await startFakeTsd({ autoCreateMetrics: true });
    standby = await startFakeTsd({ autoCreateMetrics: true });
  });
  afterAll(async () => Promise.all([primary.close(), standby.close()]));

  it('a pass that re-reads more than one window never writes a copied point again', async () => {
    const source = new TsdClient({ url: primary.url });
    const target = new TsdClient({ url: standby.url });
    const until1 = Math.floor(Date.now() / 1000) * 1000;
    const t = until1 - 1.5 * HOUR;
    await putPoints(primary.url, [
      { metric: 'long.pass', tags: { h: 'a' }, timestamp: t, value: '1.5' },
      { metric: 'long.pass', tags: { h: 'a' }, timestamp: t + 1000, value: '2' },
    ]);
    const state = stateFor(
      undefined,
      { source: source.toString(), target: target.toString(), selection: { metrics: ['long.*'], exclude: [] }, start: until1 - 4 * HOUR },
      'mem',
    );
    const copied = new Map<string, CopiedPoints>();
    const opts = {
      selection: selectMetrics(['long.*']),
      overlapMs: 3 * HOUR,
      intervalMs: 0,
      concurrency: 1,
      putConcurrency: 4,
      gzip: false,
      read: replicationReadOptions({ ...DEFAULT_SIZING, maxWindowMs: HOUR }),
    };
    const deps = { source, target, state, copied, save: async () => undefined, progress: silentProgress };
    expect((await replicateCycle({ ...opts, until: until1 }, deps)).failed).toEqual([]);
    await putPoints(primary.url, [{ metric: 'long.pass', tags: { h: 'a' }, timestamp: t + 2000, value: '3.5' }]);
    // The next pass starts two hours later.
    const second = await replicateCycle({ ...opts, until: until1 + 2 * HOUR }, deps);
    expect(second.failed).toEqual([]);
    expect(second.pointsWritten).toBe(1);
    const [a, b] = await Promise.all([snapshot(primary.url, ['long.pass'], t - 1000, t + 5000), snapshot(standby.url, ['long.pass'], t - 1000, t + 5000)]);
    expect(differences(a, b)).toEqual([]);
  });
});
