import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_FLOAT, KIND_INT, type ValueKind } from '../../src/format/point-value.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { compareWithTarget } from '../../src/restore/target-compare.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';

const T0 = Date.UTC(2026, 6, 1);

describe('compareWithTarget', () => {
  let tsd: FakeTsd;
  let client: TsdClient;
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    client = new TsdClient({ url: tsd.url });
    await putPoints(tsd.url, [
      { metric: 'c.m', tags: { h: 'a' }, timestamp: T0, value: '1', tsUnit: 's' },
      { metric: 'c.m', tags: { h: 'a' }, timestamp: T0 + 1000, value: '2', tsUnit: 's' },
      { metric: 'c.m', tags: { h: 'a' }, timestamp: T0 + 2000, value: '2.5', tsUnit: 's' },
      { metric: 'c.m', tags: { h: 'a' }, timestamp: T0 + 3000, value: '9', tsUnit: 's' },
    ]);
  });
  afterAll(async () => {
    await tsd.close();
  });

  const series = (values: Array<[number, ValueKind, number]>) => [
    { tags: { h: 'a' }, timestamps: values.map((v) => T0 + v[0]), kinds: values.map((v) => v[1]), values: values.map((v) => v[2]) },
  ];
  const all = [{ start: T0, end: T0 + 3000 }];

  it('finds the same points identical, an integer printed as a double before a float included', async () => {
    const r = await compareWithTarget(client, {
      metric: 'c.m',
      series: series([
        [0, KIND_INT, 1],
        [1000, KIND_INT, 2],
        [2000, KIND_FLOAT, 2.5],
        [3000, KIND_INT, 9],
      ]),
      intervals: all,
    });
    expect(r).toEqual({ compared: 4, missing: 0, changed: 0, extra: 0, differences: [] });
  });

  it('reports a changed value, a changed kind, a missing and an extra point, each with series and time', async () => {
    const r = await compareWithTarget(client, {
      metric: 'c.m',
      series: series([
        [0, KIND_INT, 5],
        [1000, KIND_INT, 2],
        [2000, KIND_INT, 3],
        [2500, KIND_INT, 7],
      ]),
      intervals: all,
    });
    expect(r).toMatchObject({ compared: 4, missing: 1, changed: 2, extra: 1 });
    expect(r.differences).toEqual([
      { metric: 'c.m', series: 'c.m{h=a}', timestamp: T0, backup: '5', target: '1' },
      { metric: 'c.m', series: 'c.m{h=a}', timestamp: T0 + 2000, backup: '3', target: '2.5' },
      { metric: 'c.m', series: 'c.m{h=a}', timestamp: T0 + 2500, backup: '7', target: null },
      { metric: 'c.m', series: 'c.m{h=a}', timestamp: T0 + 3000, backup: null, target: '9' },
    ]);
  });

  it('the conflict check counts only other values at the same times, and a metric the target lacks holds none', async () => {
    const r = await compareWithTarget(
      client,
      {
        metric: 'c.m',
        series: series([
          [0, KIND_INT, 5],
          [2500, KIND_INT, 7],
        ]),
        intervals: all,
      },
      { onlyChanged: true },
    );
    expect(r).toMatchObject({ compared: 2, missing: 0, changed: 1, extra: 0 });
    const none = await compareWithTarget(client, { metric: 'c.absent', series: series([[0, KIND_INT, 5]]), intervals: all }, { onlyChanged: true });
    expect(none).toEqual({ compared: 0, missing: 0, changed: 0, extra: 0, differences: [] });
  });
});
