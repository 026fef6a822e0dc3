import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { KIND_FLOAT, KIND_INT } from '../../src/format/point-value.js';
import type { Series } from '../../src/format/series.js';
import { PutBatcher, pointJson } from '../../src/restore/put-batches.js';
import { PointTooLargeError } from '../../src/restore/restore-errors.js';
import { limitsFromConfig } from '../../src/restore/target-limits.js';

const T0 = 1767225600000;

function bigSeries(n: number): Series {
  return {
    tags: { host: 'web-01', dc: 'zürich' },
    timestamps: Array.from({ length: n }, (_, i) => T0 + i * 10_000 + (i % 3 === 0 ? 7 : 0)),
    kinds: Array.from({ length: n }, (_, i) => (i % 2 ? KIND_FLOAT : KIND_INT)),
    values: Array.from({ length: n }, (_, i) => (i % 2 ? i + 0.25 : 2n ** 62n + BigInt(i))),
  };
}

function decode(body: Uint8Array, gzip: boolean): Array<Record<string, unknown>> {
  return JSON.parse((gzip ? gunzipSync(body) : Buffer.from(body)).toString('utf8')) as Array<Record<string, unknown>>;
}

describe('put bodies', () => {
  it('sends values as strings that keep their kind, and whole seconds as 10-digit timestamps', () => {
    const s: Series = { tags: { a: 'b' }, timestamps: [T0, T0 + 1], kinds: [KIND_FLOAT, KIND_INT], values: [1, 9223372036854775807n] };
    const items = [...pointJson('m', [s], [{ start: 0, end: Infinity }])].map((j) => JSON.parse(j) as Record<string, unknown>);
    expect(items).toEqual([
      { metric: 'm', tags: { a: 'b' }, timestamp: T0 / 1000, value: '1.0' },
      { metric: 'm', tags: { a: 'b' }, timestamp: T0 + 1, value: '9223372036854775807' },
    ]);
  });

  it('filters points by time range, inclusive', () => {
    const s = bigSeries(10);
    expect([...pointJson('m', [s], [{ start: s.timestamps[2]!, end: s.timestamps[5]! }])]).toHaveLength(4);
  });

  it.each([false, true])('keeps every body within the limit and loses no point (gzip=%s)', (gzip) => {
    const limit = 8192 - 64;
    const batcher = new PutBatcher({ maxBodyBytes: limit, gzip });
    const items = [...pointJson('sys.cpu.user', [bigSeries(5000)], [{ start: 0, end: Infinity }])];
    const bodies = [...items.flatMap((i) => batcher.add(i)), ...batcher.flush()];
    for (const b of bodies) expect(b.body.length).toBeLessThanOrEqual(limit);
    const decoded = bodies.flatMap((b) => decode(b.body, b.gzip));
    expect(decoded.map((d) => JSON.stringify(d))).toEqual(items.map((i) => JSON.stringify(JSON.parse(i))));
    expect(bodies.reduce((n, b) => n + b.points, 0)).toBe(5000);
    if (gzip) expect(bodies.length).toBeLessThan(5000 / 60);
  });

  it('refuses a point that cannot fit any body', () => {
    const batcher = new PutBatcher({ maxBodyBytes: 100, gzip: false });
    // A typed error (exit 1 with a hint), not a RangeError that the CLI reports as a bug.
    expect(() => batcher.add(`{"metric":"${'m'.repeat(200)}"}`)).toThrow(PointTooLargeError);
    expect(() => batcher.add(`{"metric":"${'m'.repeat(200)}"}`)).toThrow(/100-byte limit/);
  });
});

describe('target limits from /api/config', () => {
  it('uses 8 KiB without chunked requests and max_chunk with them', () => {
    expect(limitsFromConfig('2.4.1', {}).maxBodyBytes).toBeLessThanOrEqual(8192);
    expect(limitsFromConfig('2.4.1', { 'tsd.http.request.enable_chunked': 'true', 'tsd.http.request.max_chunk': '1048576' }).maxBodyBytes).toBeGreaterThan(
      1_000_000,
    );
    const d = limitsFromConfig('2.4.1', { 'tsd.core.auto_create_metrics': 'false', 'tsd.mode': 'ro' });
    expect(d.autoCreateMetrics).toBe(false);
    expect(d.readOnly).toBe(true);
    expect(limitsFromConfig('2.4.1', { 'tsd.core.auto_create_metrics': 'true' }).autoCreateMetrics).toBe(true);
  });
});

describe('the wire timestamp of a point', () => {
  it('is in seconds only where OpenTSDB reads seconds: a whole second after 2106-02-07 (above 2^32 s) stays in ms', () => {
    const series = [
      {
        tags: { host: 'a' },
        timestamps: [1_700_000_000_000, 4_294_967_295_000, 4_294_967_296_000, 9_999_999_999_000],
        kinds: [KIND_INT, KIND_INT, KIND_INT, KIND_INT],
        values: [1, 2, 3, 4],
      },
    ] as Series[];
    const wire = [...pointJson('m', series, [{ start: 0, end: Number.MAX_SAFE_INTEGER }])].map((j) => (JSON.parse(j) as { timestamp: number }).timestamp);
    // OpenTSDB takes a timestamp above 0xFFFFFFFF as milliseconds (Const.SECOND_MASK): 4294967296 would land in 1970.
    expect(wire).toEqual([1_700_000_000, 4_294_967_295, 4_294_967_296_000, 9_999_999_999_000]);
  });
});

describe('puts in flight by default', () => {
  it('are 64 into a target that accepts only small bodies (the wait for each flush bounds the speed) and 16 otherwise', async () => {
    const { defaultPutConcurrency, limitsFromConfig } = await import('../../src/restore/target-limits.js');
    expect(defaultPutConcurrency(limitsFromConfig('2.4.1', {}))).toBe(64);
    expect(defaultPutConcurrency(limitsFromConfig('2.4.1', { 'tsd.http.request.enable_chunked': 'true', 'tsd.http.request.max_chunk': '65536' }))).toBe(64);
    expect(defaultPutConcurrency(limitsFromConfig('2.4.1', { 'tsd.http.request.enable_chunked': 'true', 'tsd.http.request.max_chunk': '1048576' }))).toBe(16);
  });
});
