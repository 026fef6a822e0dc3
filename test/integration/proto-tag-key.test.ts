// `__proto__` is a legal OpenTSDB tag key (measured on 2.4.1: put accepts it and queries answer the series
// apart from the one without it). A JavaScript object built by assignment drops that key, so the series was
// backed up merged with its sibling ("1 series, 2 points") and restored as one series whose point was
// overwritten, with exit 0. Every path of a series' tags must keep it: query parsing, the chunk format, the
// restore's tag rules, TS metadata.

import { afterAll, describe, expect, it } from 'vitest';
import { decodeChunk, encodeChunk } from '../../src/format/chunk-codec.js';
import { KIND_INT } from '../../src/format/point-value.js';
import { seriesKey, sortTags } from '../../src/format/series.js';
import { parseQueryResponse } from '../../src/opentsdb/query-response.js';
import { PointTransform } from '../../src/restore/point-transform.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { protoTagScenario } from '../scenarios/proto-tag.js';

const T0 = Date.UTC(2026, 5, 1);
const proto = JSON.parse('{"__proto__":"x","host":"a"}') as Record<string, string>;

describe('a tag key named __proto__', () => {
  const fakes: FakeTsd[] = [];
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
  });

  it('is kept by sortTags, the series key, and the chunk format', () => {
    expect(Object.keys(sortTags(proto))).toEqual(['__proto__', 'host']);
    expect(seriesKey('m', proto)).not.toBe(seriesKey('m', { host: 'a' }));
    const bytes = encodeChunk({ metric: 'm', series: [{ tags: sortTags(proto), timestamps: [T0], kinds: [KIND_INT], values: [1] }] }, 3);
    const back = decodeChunk(bytes);
    expect(Object.keys(back.series[0]!.tags)).toEqual(['__proto__', 'host']);
    expect(back.series[0]!.tags.__proto__).toBe('x');
  });

  it('is kept by the query answer parser', () => {
    const text = '[{"metric":"m","tags":{"host":"a","__proto__":"x"},"aggregateTags":[],"dps":[[1767225600,1]]}]';
    const [s] = parseQueryResponse(text, 'http://tsd');
    expect(Object.keys(s!.tags).sort()).toEqual(['__proto__', 'host']);
  });

  it('is kept and renamed by --tag-map', () => {
    const t = new PointTransform({ tagMap: [{ kind: 'key', from: '__proto__', to: 'proto' }] });
    expect(t.tags(proto)).toEqual({ proto: 'x', host: 'a' });
    const keep = new PointTransform({ tagMap: [{ kind: 'key', from: 'host', to: 'node' }] });
    expect(Object.keys(keep.tags(proto)).sort()).toEqual(['__proto__', 'node']);
  });

  protoTagScenario('fake TSD', async () => {
    const [source, target] = await Promise.all([startFakeTsd({ autoCreateMetrics: true }), startFakeTsd({ autoCreateMetrics: true })]);
    fakes.push(source, target);
    return { sourceUrl: source.url, targetUrl: target.url, metric: 'proto.test', t0: T0 };
  });
});
