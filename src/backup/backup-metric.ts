// Backs up one metric over a time range: the fetch side reads it newest window first with every kind
// settled (fetch/settled-windows.ts), and each piece becomes a repository chunk (chunk-sink.ts). Each
// stored window is recorded in the run's journal (run-journal.ts); a metric an interrupted run had
// partly stored goes on from the oldest window it stored.

import type { TsdClient } from '../opentsdb/client.js';
import type { RunProgress } from '../format/backup-run.js';
import { decodeChunk } from '../format/chunk-codec.js';
import { seriesKey } from '../format/series.js';
import type { Repository } from '../repository/repository.js';
import type { FetchConfig } from '../fetch/fetch-unit.js';
import type { ReadWindow } from '../fetch/first-windows.js';
import { newestFirst } from '../fetch/settled-windows.js';
import { isUnknownMetric } from '../opentsdb/errors.js';
import type { WindowSizing } from '../fetch/window-sizer.js';
import { ChunkSink } from './chunk-sink.js';
import type { WrittenChunk } from './chunk-writer.js';
import type { StoredProgress } from './run-journal.js';
import type { MetadataCollector } from './metadata-collector.js';

export interface MetricBackupConfig extends FetchConfig {
  sizing: WindowSizing;
  zstdLevel: number;
  /**
   * Where restorable history begins for this backup's chain: first points before which no earlier
   * point of the chain can exist need no context (a full backup's own start; an incremental's full).
   */
  chainStart: number;
  /** Records each stored window (the run's journal). */
  record?: (progress: RunProgress) => void;
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

type Client = Pick<TsdClient, 'queryRaw' | 'countPoints' | 'countSeries' | 'countBuckets' | 'sampleSeriesTags' | 'request' | 'toString'>;

/** The series of chunks an interrupted run stored, read back from the repository to count distinct series. */
async function countStoredSeries(repo: Repository, metric: string, stored: StoredProgress, sink: ChunkSink, signal?: AbortSignal): Promise<void> {
  for (const entry of stored.chunks) {
    const chunk = decodeChunk(await repo.getChunk(entry, { signal }), { points: entry.points });
    for (const s of chunk.series) sink.addSeries(seriesKey(metric, s.tags));
  }
}

export async function backupMetric(
  client: Client,
  repo: Repository,
  metric: string,
  range: { start: number; end: number },
  cfg: MetricBackupConfig,
  stored?: StoredProgress,
  /** The first window, when it was read already (first-windows.ts). */
  first?: ReadWindow,
): Promise<MetricBackupResult> {
  const result: MetricBackupResult = { metric, chunks: [], series: 0, points: 0, queries: 0, responseBytes: 0 };
  const resumed = (stored?.chunks ?? []).map((entry) => ({ entry, reused: true, resumed: true }));
  result.points = resumed.reduce((n, c) => n + c.entry.points, 0);
  if (stored?.done) {
    cfg.progress({ type: 'metric-done', metric, points: result.points });
    return { ...result, chunks: resumed, series: stored.done.series };
  }
  const sink = new ChunkSink(repo, cfg.zstdLevel, cfg.progress);
  if (stored) await countStoredSeries(repo, metric, stored, sink, cfg.signal);
  // What is left: the range up to (not including) the oldest window already stored.
  const rest = { start: range.start, end: stored?.storedFrom === undefined ? range.end : stored.storedFrom - 1 };
  if (rest.end >= rest.start) {
    try {
      await readWindows(client, metric, rest, cfg, sink, result, first);
    } catch (err) {
      // Deleted from the source after an interrupted run stored part of it: what was stored is real
      // data of the range and stays in the backup; the rest no longer exists to be read.
      if (!isUnknownMetric(err) || resumed.length === 0) throw err;
      cfg.progress({
        type: 'warning',
        message: `${metric} is no longer in ${client}: the backup keeps the ${result.points} points of it that the interrupted run had stored (from ${new Date(rest.end + 1).toISOString()})`,
      });
    }
  }
  await cfg.metadata?.addTsMeta(client, metric, (key) => sink.hasSeries(key), cfg.signal);
  result.chunks = [...resumed, ...sink.chunks];
  result.series = sink.series;
  cfg.record?.({ metric, chunks: [], storedFrom: range.start, done: { series: result.series } });
  cfg.progress({ type: 'metric-done', metric, points: result.points });
  return result;
}

/** Reads the range's windows newest first, storing and recording each one. */
async function readWindows(
  client: Client,
  metric: string,
  range: { start: number; end: number },
  cfg: MetricBackupConfig,
  sink: ChunkSink,
  result: MetricBackupResult,
  first?: ReadWindow,
): Promise<void> {
  for await (const window of newestFirst(client, metric, range, { ...cfg, contextFloor: cfg.chainStart }, first)) {
    result.queries += window.extraQueries;
    for (const piece of window.pieces) {
      // a shared request is counted once, by whoever made it
      if (!piece.shared) result.queries++;
      result.responseBytes += piece.responseBytes;
      result.points += piece.points;
    }
    cfg.progress({ type: 'window', metric, start: window.start, end: window.end });
    const written = await sink.write(window, cfg.signal);
    // After the window is stored: the UID metadata GETs this starts (one per new UID, 50,000 for a metric of
    // 50,000 tag values) then do not add their garbage to the peak of a window being encoded.
    for (const piece of window.pieces) cfg.metadata?.addSeries(metric, piece.series);
    cfg.record?.({ metric, chunks: written.map((c) => c.entry), storedFrom: window.start });
  }
}
