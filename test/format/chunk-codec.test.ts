import { describe, expect, it } from 'vitest';
import { decodeChunk, encodeChunk, serializeChunk, ChunkFormatError, type ChunkData } from '../../src/format/chunk-codec.js';
import { KIND_FLOAT, KIND_INT, type IntValue, type ValueKind } from '../../src/format/point-value.js';
import type { Series } from '../../src/format/series.js';
import { expectSameSeries } from '../support/expect-same-series.js';

function series(tags: Record<string, string>, points: Array<[number, ValueKind, IntValue]>): Series {
  return {
    tags,
    timestamps: points.map((p) => p[0]),
    kinds: points.map((p) => p[1]),
    values: points.map((p) => p[2]),
  };
}

function roundTrip(chunk: ChunkData): ChunkData {
  return decodeChunk(encodeChunk(chunk));
}

const T0 = 1767225600000; // 2026-01-01T00:00:00Z

describe('chunk codec', () => {
  it('round-trips 64-bit integer extremes exactly', () => {
    const values: IntValue[] = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, 0, 1, -1, 9007199254740991, -9007199254740991, 2n ** 62n];
    const s = series(
      { host: 'a' },
      values.map((v, i) => [T0 + i * 1000, KIND_INT, v]),
    );
    const out = roundTrip({ metric: 'counter', series: [s] });
    expectSameSeries(out.series[0]!, s);
    expect(out.series[0]!.values[0]).toBe(9223372036854775807n);
    expect(out.series[0]!.values[2]).toBe(9007199254740993n);
  });

  it('keeps integer 1 and float 1.0 apart, and -0.0, 1e-300, NaN and infinities bit-exact', () => {
    const s = series({ host: 'a' }, [
      [T0, KIND_INT, 1],
      [T0 + 1000, KIND_FLOAT, 1],
      [T0 + 2000, KIND_FLOAT, -0],
      [T0 + 3000, KIND_FLOAT, 1e-300],
      [T0 + 4000, KIND_FLOAT, NaN],
      [T0 + 5000, KIND_FLOAT, Infinity],
      [T0 + 6000, KIND_FLOAT, Number.MIN_VALUE],
      [T0 + 7000, KIND_FLOAT, -Number.MAX_VALUE],
    ]);
    const out = roundTrip({ metric: 'm', series: [s] }).series[0]!;
    expectSameSeries(out, s);
    expect(Object.is(out.values[2], -0)).toBe(true);
    expect(out.kinds).toEqual([KIND_INT, KIND_FLOAT, KIND_FLOAT, KIND_FLOAT, KIND_FLOAT, KIND_FLOAT, KIND_FLOAT, KIND_FLOAT]);
  });

  it('keeps values widened from 4-byte floats bit-exact', () => {
    const widened = [15.2, 0.1, 3.4028234663852886e38, 1.17549435e-38, 123456.789].map(Math.fround);
    expect(widened[0]).toBe(15.199999809265137);
    const s = series(
      {},
      widened.map((v, i) => [T0 + i, KIND_FLOAT, v]),
    );
    expectSameSeries(roundTrip({ metric: 'm', series: [s] }).series[0]!, s);
  });

  it('keeps decimal gauges and full-precision doubles bit-exact', () => {
    const gauges = [23.45, 23.5, 0.01, -7.25, 100, 99.99, 1e15 + 0.5];
    const doubles = [Math.PI, Math.E, 0.1 + 0.2, 1 / 3, 2 ** -1074, 1.7976931348623157e308];
    const s1 = series(
      { k: 'gauge' },
      gauges.map((v, i) => [T0 + i * 10_000, KIND_FLOAT, v]),
    );
    const s2 = series(
      { k: 'double' },
      doubles.map((v, i) => [T0 + i * 10_000, KIND_FLOAT, v]),
    );
    const out = roundTrip({ metric: 'm', series: [s1, s2] });
    expectSameSeries(out.series[0]!, s1);
    expectSameSeries(out.series[1]!, s2);
  });

  it('keeps millisecond timestamps exact, mixed with second-aligned ones, even when unsorted', () => {
    const ts = [T0, T0 + 1, T0 + 999, T0 + 1000, T0 + 60_000, T0 + 59_999, 1, 2 ** 43];
    const s = series(
      { a: 'b' },
      ts.map((t, i) => [t, KIND_INT, i]),
    );
    expectSameSeries(roundTrip({ metric: 'm', series: [s] }).series[0]!, s);
  });

  it('keeps series that switch between integer and float values', () => {
    const s = series({ host: 'x' }, [
      [T0, KIND_INT, 5],
      [T0 + 1000, KIND_FLOAT, 5.5],
      [T0 + 2000, KIND_INT, 2n ** 60n],
      [T0 + 3000, KIND_FLOAT, 6],
      [T0 + 4000, KIND_INT, -3],
    ]);
    expectSameSeries(roundTrip({ metric: 'm', series: [s] }).series[0]!, s);
  });

  it('keeps Unicode and punctuation in metric names and tags, and empty series', () => {
    const s1 = series({ city: 'zürich', 東京: '東京', 'a-b_c.d/e': 'x' }, [[T0, KIND_INT, 1]]);
    const s2 = series({ host: 'empty' }, []);
    const out = roundTrip({ metric: '1min.Load-ü', series: [s1, s2] });
    expect(out.metric).toBe('1min.Load-ü');
    expectSameSeries(out.series[0]!, s1);
    expectSameSeries(out.series[1]!, s2);
  });

  it('compresses regular gauge data to well under 2 bytes per point', () => {
    const points: Array<[number, ValueKind, IntValue]> = [];
    let v = 50;
    for (let i = 0; i < 10_000; i++) {
      v = Math.round((v + Math.sin(i / 50) * 0.3) * 10) / 10;
      points.push([T0 + i * 10_000, KIND_FLOAT, v]);
    }
    const bytes = encodeChunk({ metric: 'sys.cpu', series: [series({ host: 'a' }, points)] });
    expect(bytes.length / points.length).toBeLessThan(2);
  });

  it('rejects a corrupted chunk instead of decoding garbage', () => {
    const encoded = encodeChunk({ metric: 'm', series: [series({ a: 'b' }, [[T0, KIND_INT, 1]])] });
    const flipped = Uint8Array.from(encoded);
    const at = flipped.length - 6;
    flipped[at] = flipped[at]! ^ 0xff;
    expect(() => decodeChunk(flipped)).toThrow(ChunkFormatError);
    const raw = serializeChunk({ metric: 'm', series: [series({ a: 'b' }, [[T0, KIND_INT, 1]])] });
    expect(() => decodeChunk(raw)).toThrow(ChunkFormatError);
  });

  it('rejects ragged columns at encode time', () => {
    const bad: Series = { tags: {}, timestamps: [1, 2], kinds: [KIND_INT], values: [1] };
    expect(() => encodeChunk({ metric: 'm', series: [bad] })).toThrow(/ragged/);
  });
});
