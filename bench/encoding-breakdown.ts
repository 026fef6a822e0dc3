// Bytes per point of each kind of series in the benchmark dataset, to see where repository bytes go.
// npm run bench:breakdown (levels 3, 6, 9, 15, 19 at 1M points); `npm run bench` prints the backup's default level.

import { pathToFileURL } from 'node:url';
import { encodeChunk, type ChunkData } from '../src/format/chunk-codec.js';
import { parseValueToken, type IntValue, type ValueKind } from '../src/format/point-value.js';
import type { Series } from '../src/format/series.js';
import { benchPoints, shapeFor } from './bench-dataset.js';
import { deltaEntropyBytesPerPoint } from './delta-entropy.js';

export interface KindBytes {
  metric: string;
  points: number;
  bytesPerPoint: number;
  /** the same chunks with every value 0: what the timestamps (and tags) cost */
  timestampBytesPerPoint: number;
  /** the order-0 entropy of the series' differences (delta-entropy.ts), for integers and decimals */
  deltaEntropyBytesPerPoint: number | undefined;
}

/** The dataset of `totalPoints` as series per metric, as a backup reads them. */
export function benchSeries(totalPoints: number): Map<string, Series[]> {
  const shape = shapeFor(totalPoints, Date.UTC(2025, 0, 1));
  const byMetric = new Map<string, Map<string, Series>>();
  for (const p of benchPoints(shape)) {
    let m = byMetric.get(p.metric);
    if (!m) byMetric.set(p.metric, (m = new Map()));
    const key = JSON.stringify(p.tags);
    let s = m.get(key);
    if (!s) m.set(key, (s = { tags: p.tags, timestamps: [], kinds: [] as ValueKind[], values: [] as IntValue[] }));
    const v = parseValueToken(p.value);
    s.timestamps.push(p.timestamp);
    s.kinds.push(v.kind);
    s.values.push(v.value);
  }
  return new Map([...byMetric].map(([metric, series]) => [metric, [...series.values()]]));
}

/** The series of one metric in chunks of about 100k points, as the backup makes them. */
export function chunksOf(metric: string, list: Series[]): ChunkData[] {
  const n = list.reduce((a, s) => a + s.timestamps.length, 0);
  const per = Math.max(1, Math.floor(100_000 / (n / list.length)));
  const out: ChunkData[] = [];
  for (let i = 0; i < list.length; i += per) out.push({ metric, series: list.slice(i, i + per) });
  return out;
}

/** The dataset of `totalPoints`, encoded per metric in chunks of about 100k points as the backup makes them. */
export function encodingBreakdown(totalPoints: number, levels: number[]): Map<number, KindBytes[]> {
  const byMetric = benchSeries(totalPoints);
  const out = new Map<number, KindBytes[]>();
  for (const level of levels) {
    const rows: KindBytes[] = [];
    for (const [metric, list] of byMetric) {
      const n = list.reduce((a, s) => a + s.timestamps.length, 0);
      let bytes = 0;
      for (const c of chunksOf(metric, list)) bytes += encodeChunk(c, level).length;
      const tsOnly = list.map((s) => ({ ...s, kinds: s.kinds.map(() => 0 as ValueKind), values: s.values.map(() => 0) }));
      let tsBytes = 0;
      for (const c of chunksOf(metric, tsOnly)) tsBytes += encodeChunk(c, level).length;
      rows.push({
        metric,
        points: n,
        bytesPerPoint: bytes / n,
        timestampBytesPerPoint: tsBytes / n,
        deltaEntropyBytesPerPoint: deltaEntropyBytesPerPoint(list),
      });
    }
    out.set(level, rows);
  }
  return out;
}

export function overallBytesPerPoint(rows: KindBytes[]): number {
  const points = rows.reduce((a, r) => a + r.points, 0);
  return rows.reduce((a, r) => a + r.bytesPerPoint * r.points, 0) / points;
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  for (const [level, rows] of encodingBreakdown(1_000_000, [3, 6, 9, 15, 19])) {
    console.log(`zstd level ${level}: ${overallBytesPerPoint(rows).toFixed(3)} bytes/point overall`);
    for (const r of rows)
      console.log(
        `  ${r.metric.padEnd(20)} ${r.bytesPerPoint.toFixed(3)} bytes/point (timestamps alone ${r.timestampBytesPerPoint.toFixed(3)}; entropy of the differences ${r.deltaEntropyBytesPerPoint?.toFixed(3) ?? '-'})`,
      );
  }
}
