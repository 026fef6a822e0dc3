// Backs up one metric over a time range, newest window first: recent data is usually the densest and
// the best guide for sizing older windows, and a metric's history ends (going back) in empty windows
// that are cheap to skip.

import type { TsdClient } from '../opentsdb/client.js';
import type { Repository } from '../repository/repository.js';
import { writeChunk, type WrittenChunk } from './chunk-writer.js';
import { fetchUnit, type FetchConfig } from './fetch-unit.js';
import { nextWindowMs, windowStart, type WindowSizing } from './window-sizer.js';

export interface MetricBackupConfig extends FetchConfig {
  sizing: WindowSizing;
  zstdLevel: number;
}

export interface MetricBackupResult {
  metric: string;
  chunks: WrittenChunk[];
  points: number;
  queries: number;
  responseBytes: number;
}

type Client = Pick<TsdClient, 'queryRaw' | 'countPoints' | 'sampleSeriesTags'>;

export async function backupMetric(
  client: Client,
  repo: Repository,
  metric: string,
  range: { start: number; end: number },
  cfg: MetricBackupConfig,
): Promise<MetricBackupResult> {
  const result: MetricBackupResult = { metric, chunks: [], points: 0, queries: 0, responseBytes: 0 };
  let span = cfg.sizing.initialWindowMs;
  let end = range.end;
  while (end >= range.start) {
    const start = windowStart(end, span, range.start);
    const pieces = await fetchUnit(client, { metric, start, end, filters: [] }, cfg);
    let points = 0;
    for (const piece of pieces) {
      result.queries++;
      result.responseBytes += piece.responseBytes;
      points += piece.points;
      const written = await writeChunk(repo, piece, cfg.zstdLevel, cfg.signal);
      if (written) {
        result.chunks.push(written);
        cfg.progress({ type: 'chunk', metric, points: written.entry.points, bytes: written.entry.bytes, series: written.entry.series });
      }
    }
    result.points += points;
    span = nextWindowMs(cfg.sizing, end - start + 1, points, result.points > 0);
    end = start - 1;
  }
  cfg.progress({ type: 'metric-done', metric, points: result.points });
  return result;
}
