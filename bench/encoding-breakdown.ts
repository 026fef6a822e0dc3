// Bytes per point of each kind of series in the benchmark dataset, to see where repository bytes go.
// npm run bench:breakdown (levels 9, 12, 15, 19 at 1M points); `npm run bench` prints level 15 (the backup's).

import { pathToFileURL } from 'node:url';
import { encodeChunk } from '../src/format/chunk-codec.js';
import { parseValueToken, type IntValue, type ValueKind } from '../src/format/point-value.js';
import type { Series } from '../src/format/series.js';
import { benchPoints, shapeFor } from './bench-dataset.js';

export interface KindBytes {
  metric: string;
  points: number;
  bytesPerPoint: number;
  /** the same chunks with every value 0: what the timestamps (and tags) cost */
  timestampBytesPerPoint: number;
}

/** The dataset of `totalPoints`, encoded per metric in chunks of about 100k points as the backup makes them. */
export function encodingBreakdown(totalPoints: number, levels: number[]): Map<number, KindBytes[]> {
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
  const out = new Map<number, KindBytes[]>();
  for (const level of levels) {
    const rows: KindBytes[] = [];
    for (const [metric, series] of byMetric) {
      const list = [...series.values()];
      const n = list.reduce((a, s) => a + s.timestamps.length, 0);
      const per = Math.max(1, Math.floor(100_000 / (n / list.length)));
      let bytes = 0;
      for (let i = 0; i < list.length; i += per) bytes += encodeChunk({ metric, series: list.slice(i, i + per) }, level).length;
      const tsOnly = list.map((s) => ({ ...s, kinds: s.kinds.map(() => 0 as ValueKind), values: s.values.map(() => 0) }));
      let tsBytes = 0;
      for (let i = 0; i < tsOnly.length; i += per) tsBytes += encodeChunk({ metric, series: tsOnly.slice(i, i + per) }, level).length;
      rows.push({ metric, points: n, bytesPerPoint: bytes / n, timestampBytesPerPoint: tsBytes / n });
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
  for (const [level, rows] of encodingBreakdown(1_000_000, [9, 12, 15, 19])) {
    console.log(`zstd level ${level}: ${overallBytesPerPoint(rows).toFixed(3)} bytes/point overall`);
    for (const r of rows) console.log(`  ${r.metric.padEnd(20)} ${r.bytesPerPoint.toFixed(3)} bytes/point (timestamps alone ${r.timestampBytesPerPoint.toFixed(3)})`);
  }
}
