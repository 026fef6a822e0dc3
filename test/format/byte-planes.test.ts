import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../src/format/byte-reader.js';
import { ByteWriter } from '../../src/format/byte-writer.js';
import { readPlanes, writePlanes } from '../../src/format/byte-planes.js';
import { readDeltaFrameHead, unframe, writeDeltaFrame } from '../../src/format/delta-frame.js';
import { OffsetColumn } from '../../src/format/offset-column.js';
import type { IntValue } from '../../src/format/point-value.js';

function columnOf(values: readonly IntValue[]): OffsetColumn {
  const c = new OffsetColumn();
  for (const v of values) c.pushAny(v);
  return c;
}

function valuesOf(c: OffsetColumn): IntValue[] {
  const { numbers, wide } = c.view();
  return Array.from(numbers, (n, i) => wide?.get(i) ?? n);
}

function planesRoundTrip(values: IntValue[]): { out: IntValue[]; width: number; bytes: number } {
  const w = new ByteWriter();
  writePlanes(w, columnOf(values));
  const bytes = w.result();
  const r = new ByteReader(bytes);
  const out = readPlanes(r, values.length);
  expect(r.remaining).toBe(0);
  return { out, width: bytes[0]!, bytes: bytes.length };
}

describe('byte planes', () => {
  it('stores all-zero columns in one byte, whatever their length', () => {
    expect(planesRoundTrip(new Array(10_000).fill(0))).toEqual({ out: new Array(10_000).fill(0), width: 0, bytes: 1 });
  });

  it('chooses the width of the largest value and keeps every value exact at each width boundary', () => {
    const cases: Array<[IntValue[], number]> = [
      [[1, 255, 0], 1],
      [[256, 0], 2],
      [[2 ** 32 - 1, 7], 4],
      [[2 ** 32, 1], 5],
      [[2 ** 48 - 1], 6],
      [[2 ** 48, 3], 7],
      [[Number.MAX_SAFE_INTEGER, 1], 7],
      [[2n ** 53n + 1n, 5], 7],
      [[2n ** 56n, 2n ** 63n], 8],
      [[2n ** 64n - 1n, 0], 8],
      [[2n ** 65n + 3n, 1], 9],
    ];
    for (const [values, width] of cases) {
      const rt = planesRoundTrip(values);
      expect(rt.width, String(values)).toBe(width);
      expect(rt.out, String(values)).toStrictEqual(values);
      expect(rt.bytes).toBe(1 + width * values.length);
    }
  });

  it('lays out byte b of every value contiguously (low bytes first)', () => {
    const w = new ByteWriter();
    writePlanes(w, columnOf([0x0102, 0x0304, 0x0506]));
    expect([...w.result()]).toEqual([2, 0x02, 0x04, 0x06, 0x01, 0x03, 0x05]);
  });

  it('keeps a column that grows past its first buffer, with bigints among the numbers', () => {
    const values: IntValue[] = Array.from({ length: 5000 }, (_, i) => (i % 997 === 0 ? 2n ** 60n + BigInt(i) : i * 3));
    expect(planesRoundTrip(values).out).toStrictEqual(values);
  });

  it('refuses a corrupt width instead of reading garbage', () => {
    expect(() => readPlanes(new ByteReader(Uint8Array.from([17, 0, 0])), 1)).toThrow(/width 17/);
  });
});

describe('delta frames', () => {
  function frameRoundTrip(values: IntValue[]): { out: IntValue[]; offsets: IntValue[] } {
    const w = new ByteWriter();
    const column = new OffsetColumn();
    writeDeltaFrame(w, values, column);
    const r = new ByteReader(w.result());
    const head = readDeltaFrameHead(r, values.length);
    expect(r.remaining).toBe(0);
    const offsets = valuesOf(column);
    return { out: unframe(head, offsets, 0), offsets };
  }

  it('turns a regular sequence into zero offsets', () => {
    const rt = frameRoundTrip([100, 110, 120, 130]);
    expect(rt.out).toEqual([100, 110, 120, 130]);
    expect(rt.offsets).toEqual([0, 0, 0]);
  });

  it('keeps decreasing and unsorted sequences exact (the minimum difference may be negative)', () => {
    const values = [5, 3, 9, -4, -4, 12];
    const rt = frameRoundTrip(values);
    expect(rt.out).toEqual(values);
    expect(rt.offsets.every((o) => (o as number) >= 0)).toBe(true);
  });

  it('spans the whole 64-bit range exactly: a jump from -2^63 to 2^63-1 and back', () => {
    const values: IntValue[] = [-(2n ** 63n), 2n ** 63n - 1n, -(2n ** 63n), 0, 2n ** 53n + 1n, 9007199254740991];
    const rt = frameRoundTrip(values);
    expect(rt.out).toStrictEqual(values);
    expect(planesRoundTrip(rt.offsets).width).toBe(9);
  });
});

describe('integer column', () => {
  it('refuses a decoded integer outside the 64-bit range (a corrupt chunk) instead of returning it', async () => {
    const { readIntegerColumn, writeIntegerColumn } = await import('../../src/format/int-column.js');
    const w = new ByteWriter();
    writeIntegerColumn(w, [[2n ** 63n - 1n, 2n ** 63n]]);
    expect(() => readIntegerColumn(new ByteReader(w.result()), [2])).toThrow(/outside the 64-bit range/);
  });
});
