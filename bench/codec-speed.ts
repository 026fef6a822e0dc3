// Time and size of the chunk codec per zstd level on the benchmark mix (1M points by default), in
// interleaved rounds: serialize (columns only), encode (columns + zstd), decode, and bytes per point.
// npm run bench:codec [-- --points 1000000 --levels 3,6,9,15,19 --rounds 5]

import { parseArgs } from 'node:util';
import { decodeChunk, encodeChunk, serializeChunk, type ChunkData } from '../src/format/chunk-codec.js';
import { benchSeries, chunksOf } from './encoding-breakdown.js';
import { median } from './opentsdb-peers.js';

const { values } = parseArgs({
  options: { points: { type: 'string', default: '1000000' }, levels: { type: 'string', default: '3,6,9,12,15,19' }, rounds: { type: 'string', default: '5' } },
});
const levels = values.levels.split(',').map(Number);
const chunks: ChunkData[] = [...benchSeries(Number(values.points))].flatMap(([metric, list]) => chunksOf(metric, list));
const points = chunks.reduce((a, c) => a + c.series.reduce((b, s) => b + s.timestamps.length, 0), 0);

function timed<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

const serializeMs: number[] = [];
const encodeMs = new Map<number, number[]>(levels.map((l) => [l, []]));
const decodeMs = new Map<number, number[]>(levels.map((l) => [l, []]));
const bytes = new Map<number, number>();
for (let round = 0; round < Number(values.rounds); round++) {
  serializeMs.push(timed(() => chunks.forEach((c) => serializeChunk(c)))[1]);
  const order = round % 2 === 0 ? levels : [...levels].reverse();
  for (const level of order) {
    const [encoded, e] = timed(() => chunks.map((c) => encodeChunk(c, level)));
    encodeMs.get(level)!.push(e);
    decodeMs.get(level)!.push(timed(() => encoded.forEach((b) => decodeChunk(b)))[1]);
    bytes.set(
      level,
      encoded.reduce((a, b) => a + b.length, 0),
    );
  }
}
const mm = (xs: number[]): string => {
  let min = Infinity;
  for (const x of xs) min = Math.min(min, x);
  return `${min.toFixed(0)} / ${median(xs).toFixed(0)}`;
};
console.log(`${points} points in ${chunks.length} chunks; ms per run, min / median of ${values.rounds} rounds`);
console.log(`serialize (columns, no zstd): ${mm(serializeMs)} ms`);
for (const level of levels)
  console.log(
    `zstd ${String(level).padStart(2)}: ${(bytes.get(level)! / points).toFixed(3)} B/pt  encode ${mm(encodeMs.get(level)!)} ms  decode ${mm(decodeMs.get(level)!)} ms`,
  );
