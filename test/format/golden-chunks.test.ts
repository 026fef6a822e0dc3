// Chunks written by every released chunk format version must decode to the same points forever, and the
// current version must keep writing the bytes its golden file holds (a change is a new version).

import { readdir, readFile } from 'node:fs/promises';
import { compress, decompress } from 'zstd-napi';
import { describe, expect, it } from 'vitest';
import { CHUNK_VERSION, decodeChunk, serializeChunk } from '../../src/format/chunk-codec.js';
import { expectSameSeries } from '../support/expect-same-series.js';
import { GOLDEN_CHUNK_DATA, GOLDEN_CHUNK_DIR, goldenChunkPath } from '../support/golden-chunks.js';

describe('golden chunks', () => {
  it('has one golden file for every version up to the current one', async () => {
    const files = (await readdir(GOLDEN_CHUNK_DIR)).sort();
    expect(files).toEqual(Array.from({ length: CHUNK_VERSION }, (_, i) => `v${i + 1}.tsbc`).sort());
  });

  for (let version = 1; version <= CHUNK_VERSION; version++) {
    it(`decodes the version ${version} chunk to the golden points, bit for bit`, async () => {
      const chunk = decodeChunk(await readFile(goldenChunkPath(version)));
      expect(chunk.metric).toBe(GOLDEN_CHUNK_DATA.metric);
      expect(chunk.series.length).toBe(GOLDEN_CHUNK_DATA.series.length);
      chunk.series.forEach((s, i) => expectSameSeries(s, GOLDEN_CHUNK_DATA.series[i]!));
    });
  }

  it('writes the current version byte for byte as its golden file holds', async () => {
    const golden = decompress(await readFile(goldenChunkPath(CHUNK_VERSION)));
    expect(golden[4]).toBe(CHUNK_VERSION);
    expect(Buffer.from(serializeChunk(GOLDEN_CHUNK_DATA)).equals(Buffer.from(golden))).toBe(true);
  });
});

describe('a chunk whose header claims absurdly many points', () => {
  // Version 2 stores all-zero offsets in no bytes, so a 30-byte chunk can describe 2^32-1 points: the
  // decoder must refuse it from the header, before any column is allocated (a crafted or damaged chunk
  // must fail cleanly, never take the process down).
  const uv = (n: number): number[] => {
    const o: number[] = [];
    while (n >= 128) {
      o.push((n % 128) | 128);
      n = Math.floor(n / 128);
    }
    o.push(n);
    return o;
  };
  const claiming = (n: number): Uint8Array =>
    compress(Uint8Array.from([0x54, 0x53, 0x42, 0x43, 2, 1, 0x6d, 1, 0, ...uv(n), 0, 0, 0, 0, 1, 0, ...uv(n), 0, 0, 0, 0]));

  it('is refused by the general limit of points per chunk', () => {
    expect(() => decodeChunk(claiming(2 ** 32 - 1))).toThrow(/4294967295 points.*at most/);
  });

  it('is refused when the count differs from what the manifest recorded, before decoding the columns', () => {
    expect(() => decodeChunk(claiming(5_000_000), { points: 3 })).toThrow(/5000000 points, the manifest says 3/);
    expect(decodeChunk(claiming(3), { points: 3 }).series[0]!.timestamps).toEqual([0, 0, 0]);
  });
});
