// Bytes per point of each kind of series in the benchmark dataset, to see where repository bytes go.
// npm run bench:breakdown

import { encodeChunk } from '../src/format/chunk-codec.js';
import { parseValueToken, type IntValue, type ValueKind } from '../src/format/point-value.js';
import type { Series } from '../src/format/series.js';
import { benchPoints, shapeFor } from './bench-dataset.js';

const shape = shapeFor(1_000_000, Date.UTC(2025, 0, 1));
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
for (const level of [9, 12, 15, 19]) {
  let all = 0;
  let points = 0;
  const rows: string[] = [];
  for (const [metric, series] of byMetric) {
    const list = [...series.values()];
    const n = list.reduce((a, s) => a + s.timestamps.length, 0);
    // chunks as the backup makes them: about 100k points each
    const per = Math.max(1, Math.floor(100_000 / (n / list.length)));
    let bytes = 0;
    for (let i = 0; i < list.length; i += per) bytes += encodeChunk({ metric, series: list.slice(i, i + per) }, level).length;
    const tsOnly = list.map((s) => ({ ...s, kinds: s.kinds.map(() => 0 as ValueKind), values: s.values.map(() => 0) }));
    let tsBytes = 0;
    for (let i = 0; i < tsOnly.length; i += per) tsBytes += encodeChunk({ metric, series: tsOnly.slice(i, i + per) }, level).length;
    rows.push(`  ${metric.padEnd(20)} ${(bytes / n).toFixed(3)} bytes/point (timestamps alone ${(tsBytes / n).toFixed(3)})`);
    all += bytes;
    points += n;
  }
  console.log(`zstd level ${level}: ${(all / points).toFixed(3)} bytes/point overall`);
  console.log(rows.join('\n'));
}
