// Chunks written by every released chunk format version must decode to the same points forever, and the
// current version must keep writing the bytes its golden file holds (a change is a new version).

import { readdir, readFile } from 'node:fs/promises';
import { decompress } from 'zstd-napi';
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
