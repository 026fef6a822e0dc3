// Backs up one metric over a time range: the fetch side reads it newest window first with every kind
// settled (fetch/settled-windows.ts), and each piece becomes a repository chunk (chunk-sink.ts).

import type { TsdClient } from '../opentsdb/client.js';
import type { Repository } from '../repository/repository.js';
import type { FetchConfig } from '../fetch/fetch-unit.js';
import { newestFirst } from '../fetch/settled-windows.js';
import type { WindowSizing } from '../fetch/window-sizer.js';
import { ChunkSink } from './chunk-sink.js';
import type { WrittenChunk } from './chunk-writer.js';
import type { MetadataCollector } from './metadata-collector.js';

export interface MetricBackupConfig extends FetchConfig {
  sizing: WindowSizing;
  zstdLevel: number;
  /**
   * Where restorable history begins for this backup's chain: first points before which no earlier
   * point of the chain can exist need no context (a full backup's own start; an incremental's full).
   */
  chainStart: number;
  /** Collects the annotations, UIDs and TS metadata of what the backup reads. */
  metadata?: MetadataCollector;
}

export interface MetricBackupResult {
  metric: string;
  chunks: WrittenChunk[];
  /** Distinct series with points in the range. */
  series: number;
  points: number;
  queries: number;
  responseBytes: number;
}

type Client = Pick<TsdClient, 'queryRaw' | 'countPoints' | 'countBuckets' | 'sampleSeriesTags' | 'request' | 'toString'>;

export async function backupMetric(
  client: Client,
  repo: Repository,
  metric: string,
  range: { start: number; end: number },
  cfg: MetricBackupConfig,
): Promise<MetricBackupResult> {
  const result: MetricBackupResult = { metric, chunks: [], series: 0, points: 0, queries: 0, responseBytes: 0 };
  const sink = new ChunkSink(repo, cfg.zstdLevel, cfg.progress);
  for await (const window of newestFirst(client, metric, range, { ...cfg, contextFloor: cfg.chainStart })) {
    result.queries += window.extraQueries;
    for (const piece of window.pieces) {
      result.queries++;
      result.responseBytes += piece.responseBytes;
      result.points += piece.points;
      cfg.metadata?.addSeries(metric, piece.series);
    }
    cfg.progress({ type: 'window', metric, start: window.start, end: window.end });
    await sink.write(window, cfg.signal);
  }
  await cfg.metadata?.addTsMeta(client, metric, (key) => sink.hasSeries(key), cfg.signal);
  result.chunks = sink.chunks;
  result.series = sink.series;
  cfg.progress({ type: 'metric-done', metric, points: result.points });
  return result;
}
