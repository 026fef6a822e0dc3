// Every point a backup holds, as sorted lines (series, timestamp, kind, value): two backups hold the
// same data exactly when their lines are equal.

import { decodeChunk } from '../../src/format/chunk-codec.js';
import type { Manifest } from '../../src/format/manifest.js';
import { seriesKey } from '../../src/format/series.js';
import type { Repository } from '../../src/repository/repository.js';

export async function pointsOfBackup(repo: Repository, m: Manifest): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of m.chunks) {
    const chunk = decodeChunk(await repo.getChunk(entry), { points: entry.points });
    for (const s of chunk.series) s.timestamps.forEach((t, i) => lines.push(`${seriesKey(chunk.metric, s.tags)} ${t} ${s.kinds[i]} ${String(s.values[i])}`));
  }
  return lines.sort();
}
