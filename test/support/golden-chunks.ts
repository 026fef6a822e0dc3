// The golden chunks in fixtures/chunks/: one chunk per chunk format version, each holding GOLDEN_CHUNK_DATA.
// `node --import tsx test/support/golden-chunks.ts` writes the current version's file anew; commit it only
// when the format changes on purpose. Files of older versions are never rewritten: they prove that chunks
// in existing repositories still decode.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHUNK_VERSION, encodeChunk, type ChunkData } from '../../src/format/chunk-codec.js';
import { KIND_FLOAT, KIND_INT, type IntValue, type ValueKind } from '../../src/format/point-value.js';
import type { Series } from '../../src/format/series.js';

export const GOLDEN_CHUNK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/chunks');

export function goldenChunkPath(version: number): string {
  return path.join(GOLDEN_CHUNK_DIR, `v${version}.tsbc`);
}

const T0 = 1767225600000; // 2026-01-01T00:00:00Z

function series(tags: Record<string, string>, points: Array<[number, ValueKind, IntValue]>): Series {
  return { tags, timestamps: points.map((p) => p[0]), kinds: points.map((p) => p[1]), values: points.map((p) => p[2]) };
}

function regular(n: number, stepMs: number, kind: ValueKind, value: (i: number) => IntValue): Array<[number, ValueKind, IntValue]> {
  return Array.from({ length: n }, (_, i) => [T0 + i * stepMs, kind, value(i)]);
}

/** Every encoding path of every column: units, integer widths, each float mode, kind switches, extremes. */
export const GOLDEN_CHUNK_DATA: ChunkData = {
  metric: 'golden.métric',
  series: [
    series(
      { host: 'a', dc: 'zürich' },
      regular(40, 10_000, KIND_INT, (i) => 1_000_000 + i * 1234 + (i % 3)),
    ),
    series({ host: 'b' }, [
      [T0 - 5, KIND_INT, 9223372036854775807n],
      [T0 + 1, KIND_INT, -(2n ** 63n)],
      [T0 + 999, KIND_INT, 2n ** 53n + 1n],
      [T0 + 1000, KIND_INT, 0],
      [T0 + 250_000, KIND_INT, -9007199254740991],
    ]),
    series(
      { host: 'c' },
      regular(30, 15_000, KIND_FLOAT, (i) => Number((20 + Math.sin(i) * 5).toFixed(2))),
    ),
    series(
      { host: 'd' },
      regular(20, 1000, KIND_FLOAT, (i) => Math.fround(15 + i / 7)),
    ),
    series({ host: 'e' }, [
      [T0, KIND_FLOAT, 0.1],
      [T0 + 1000, KIND_FLOAT, -0],
      [T0 + 2000, KIND_FLOAT, NaN],
      [T0 + 3000, KIND_FLOAT, Infinity],
      [T0 + 4000, KIND_FLOAT, -Infinity],
      [T0 + 5000, KIND_FLOAT, Number.MIN_VALUE],
      [T0 + 6000, KIND_FLOAT, 1.7976931348623157e308],
      [T0 + 7000, KIND_FLOAT, 3.141592653589793],
    ]),
    series({ host: 'f', path: '/var/log' }, [
      [T0, KIND_INT, 1],
      [T0 + 10_000, KIND_FLOAT, 1],
      [T0 + 20_000, KIND_INT, 2],
      [T0 + 30_000, KIND_FLOAT, 2.5],
      [T0 + 40_000, KIND_FLOAT, 2.75],
    ]),
    series(
      { host: 'g' },
      regular(12, 60_000, KIND_FLOAT, (i) => 1e-7 * (i + 1) + 1e-9),
    ),
    series({}, [[T0 + 123, KIND_INT, 7]]),
  ],
};

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const file = goldenChunkPath(CHUNK_VERSION);
  await writeFile(file, encodeChunk(GOLDEN_CHUNK_DATA, 19));
  console.log(`wrote ${file}`);
}
