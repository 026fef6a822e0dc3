import { describe, expect, it } from 'vitest';
import { expectedQueryValues, expectedStoredKind, generateDataset, seriesKey } from './dataset.js';
import { JNumber, JObject, parseJson } from './fake-tsd/json.js';
import { startFakeTsd } from './fake-tsd/index.js';
import { pointJson, putPoints, PutPointsError } from './put-points.js';
import { SEED_START, seedTsd } from './seed.js';

describe('seedTsd + putPoints against the fake TSD', () => {
  it('writes the small dataset to a default TSD and reads every token back exactly', async () => {
    const tsd = await startFakeTsd(); // defaults: no metric auto-creation, no chunked bodies
    try {
      const res = await seedTsd(tsd.url, { hours: 3, concurrency: 3 });
      expect(res.start).toBe(SEED_START);
      expect(res.points).toBe(tsd.stats.pointsWritten);
      for (const r of tsd.stats.requests) expect(r.bytes).toBeLessThanOrEqual(8000);

      // expected: per series, tokens in time order
      const expected = new Map<string, Array<{ ts: number; token: string }>>();
      for (const p of generateDataset({ start: SEED_START, hours: 3, seed: 1, scale: 'small' })) {
        const k = seriesKey(p.metric, p.tags);
        expected.set(k, [...(expected.get(k) ?? []), { ts: p.timestamp, token: p.value }]);
      }
      expect(res.series).toBe(expected.size);

      let seen = 0;
      for (const metric of res.metrics) {
        const r = await fetch(`${tsd.url}/api/query?arrays`, {
          method: 'POST',
          body: JSON.stringify({ start: res.start, end: res.end, msResolution: true, queries: [{ aggregator: 'none', metric }] }),
        });
        expect(r.status).toBe(200);
        const answer = parseJson(await r.text()) as JObject[];
        for (const s of answer) {
          const tags = Object.fromEntries([...(s.get('tags') as JObject).map].map(([k, v]) => [k, v as string]));
          const want = expected.get(seriesKey(metric, tags));
          expect(want, seriesKey(metric, tags)).toBeDefined();
          const dps = s.get('dps') as JNumber[][];
          expect(dps.map((d) => Number(d[0]!.text))).toEqual(want!.map((w) => w.ts));
          expect(dps.map((d) => d[1]!.text)).toEqual(expectedQueryValues(want!.map((w) => w.token)));
          seen++;
        }
      }
      expect(seen).toBe(expected.size);

      // what is stored (not what the query prints) keeps every token's kind
      for (const s of tsd.dump()) {
        const want = expected.get(seriesKey(s.metric, s.tags))!;
        expect(s.points.map((p) => p.kind)).toEqual(want.map((w) => expectedStoredKind(w.token)));
      }
    } finally {
      await tsd.close();
    }
  });

  it('throws with the TSD answer when points fail, and respects maxBodyBytes', async () => {
    const tsd = await startFakeTsd({ autoCreateMetrics: true });
    try {
      const good = { metric: 'm', tags: { host: 'a' }, timestamp: SEED_START, value: '1.0' };
      expect(pointJson(good)).toBe('{"metric":"m","timestamp":1767225600000,"value":"1.0","tags":{"host":"a"}}');
      expect(pointJson({ ...good, tsUnit: 's' })).toContain('"timestamp":1767225600,');
      const many = Array.from({ length: 100 }, (_, i) => ({ ...good, timestamp: SEED_START + i }));
      await expect(putPoints(tsd.url, many, { maxBodyBytes: 1000 })).resolves.toEqual({ written: 100 });
      expect(tsd.stats.requests.filter((r) => r.path.startsWith('/api/put')).every((r) => r.bytes <= 1000)).toBe(true);
      const bad = [good, { ...good, timestamp: SEED_START + 1, value: 'abc' }];
      const err = await putPoints(tsd.url, bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PutPointsError);
      expect(String((err as Error).message)).toContain('Unable to parse value to a number');
      await expect(putPoints(tsd.url, [{ ...good, metric: 'bad metric' }])).rejects.toThrow('uid/assign failed');
    } finally {
      await tsd.close();
    }
  });
});
