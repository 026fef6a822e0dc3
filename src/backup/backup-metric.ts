// Backs up one metric over a time range, newest window first: recent data is usually the densest and
// the best guide for sizing older windows. After an empty window the TSD is asked where older data is
// (older-data-probe.ts), so empty history costs a few queries, not one per window. Each window's
// chunks are written at once; a first point whose kind depends on the previous point
// (kind-inference.ts) is settled by the next, older window, or by asking the TSD, and the few chunks
// whose kinds change are rewritten at the end.

import { KIND_INT } from '../format/point-value.js';
import { seriesKey } from '../format/series.js';
import type { TsdClient } from '../opentsdb/client.js';
import type { QueriedSeries } from '../opentsdb/query-response.js';
import type { Repository } from '../repository/repository.js';
import { rewriteFirstPointsAsIntegers, writeChunk, type WrittenChunk } from './chunk-writer.js';
import { fetchUnit, type FetchConfig } from './fetch-unit.js';
import { decideFirst, resolveAfterFirst, setFirstKind, tailOf, type PrintedTail } from './kind-inference.js';
import { findOlderData } from './older-data-probe.js';
import { kindFromPreviousPoint } from './previous-point.js';
import type { FetchedPiece } from './query-unit.js';
import { nextWindowMs, windowStart, type WindowSizing } from './window-sizer.js';

export interface MetricBackupConfig extends FetchConfig {
  sizing: WindowSizing;
  zstdLevel: number;
  /**
   * Where restorable history begins for this backup's chain: first points before which no earlier
   * point of the chain can exist need no context (a full backup's own start; an incremental's full).
   */
  chainStart: number;
}

export interface MetricBackupResult {
  metric: string;
  chunks: WrittenChunk[];
  /** Distinct series with points in the range. */
  series: number;
  points: number;
  queries: number;
  responseBytes: number;
  /** Annotations the TSD reported in the range: not backed up, only counted. */
  annotations: number;
}

type Client = Pick<TsdClient, 'queryRaw' | 'countPoints' | 'countBuckets' | 'sampleSeriesTags'>;

interface OpenFirst {
  series: QueriedSeries;
  firstTs: number;
  chunk: number;
  /** Set when an older answer's tail was too far back to be valid context. */
  askFrom?: number;
}

/** Resolves kinds inside the pieces of one window (chronological); returns the first points still open. */
function resolvePieces(metric: string, pieces: FetchedPiece[], chunkIndex: (piece: number) => number, tails: Map<string, PrintedTail>): Map<string, OpenFirst> {
  const open = new Map<string, OpenFirst>();
  pieces.forEach((piece, i) => {
    for (const s of piece.series) {
      if (s.timestamps.length === 0) continue;
      const key = seriesKey(metric, s.tags);
      const { printed, firstAmbiguous } = resolveAfterFirst(s);
      if (firstAmbiguous) {
        const tail = tails.get(key);
        const decided = tail ? decideFirst(s.timestamps[0]!, tail) : undefined;
        if (decided === undefined || decided === 'ask') open.set(key, { series: s, firstTs: s.timestamps[0]!, chunk: chunkIndex(i), askFrom: tail?.ts });
        else setFirstKind(s, decided);
      }
      tails.set(key, tailOf(s, printed, piece.unit.end)!);
    }
  });
  return open;
}

export async function backupMetric(
  client: Client,
  repo: Repository,
  metric: string,
  range: { start: number; end: number },
  cfg: MetricBackupConfig,
): Promise<MetricBackupResult> {
  const result: MetricBackupResult = { metric, chunks: [], series: 0, points: 0, queries: 0, responseBytes: 0, annotations: 0 };
  // Bounded by the metric's series, not by chunks x series (see chunk-writer.ts).
  const seriesSeen = new Set<string>();
  const countSeries = (key: string): void => void seriesSeen.add(key);
  const toInteger = new Map<number, Set<string>>(); // chunk index -> series keys whose first point is an integer
  const markInteger = (chunk: number, key: string): void => {
    if (chunk < 0) return;
    const set = toInteger.get(chunk) ?? new Set<string>();
    set.add(key);
    toInteger.set(chunk, set);
  };
  const ask = async (key: string, o: OpenFirst): Promise<void> => {
    const r = await kindFromPreviousPoint(client, metric, o.series.tags, o.firstTs, { from: o.askFrom, floor: cfg.chainStart, signal: cfg.signal });
    result.queries += r.queries;
    if (r.kind === KIND_INT) markInteger(o.chunk, key);
  };

  let open = new Map<string, OpenFirst>();
  let span = cfg.sizing.initialWindowMs;
  let end = range.end;
  let rangeForTarget: number | undefined;
  while (end >= range.start) {
    const start = windowStart(end, span, range.start);
    const pieces = await fetchUnit(client, { metric, start, end, filters: [] }, cfg);
    const tails = new Map<string, PrintedTail>();
    const firstChunk = result.chunks.length;
    const pieceChunk: number[] = [];
    let n = firstChunk;
    for (const piece of pieces) pieceChunk.push(piece.series.some((s) => s.timestamps.length > 0) ? n++ : -1);
    const newOpen = resolvePieces(metric, pieces, (i) => pieceChunk[i]!, tails);

    // This older window settles the newer window's open first points.
    for (const [key, o] of open) {
      const tail = tails.get(key);
      if (!tail) {
        newOpen.set(key, o); // the series has no point in this window: look further back
        continue;
      }
      const decided = decideFirst(o.firstTs, tail);
      if (decided === 'ask') await ask(key, { ...o, askFrom: tail.ts });
      else if (decided === KIND_INT) markInteger(o.chunk, key);
    }
    open = newOpen;

    let points = 0;
    for (const piece of pieces) {
      result.queries++;
      result.responseBytes += piece.responseBytes;
      points += piece.points;
      for (const s of piece.series) result.annotations += s.annotations ?? 0;
      const written = await writeChunk(repo, piece, cfg.zstdLevel, cfg.signal, countSeries);
      if (written) {
        result.chunks.push(written);
        cfg.progress({ type: 'chunk', metric, points: written.entry.points, bytes: written.entry.bytes, series: written.entry.series });
      }
    }
    result.points += points;
    // At the density last seen, how long a range holds about a window's worth of points.
    if (points > 0) rangeForTarget = Math.ceil(((end - start + 1) * cfg.sizing.targetPoints) / points);
    span = nextWindowMs(cfg.sizing, end - start + 1, points, result.points > 0);
    if (points === 0 && start > range.start) {
      // Rather than walking on through empty windows, ask where older data is. The first probe spans
      // what would hold a few windows' worth of points at the density last seen (so it loads little
      // more than a window into the TSD), or a few of the largest windows before any data was seen.
      const reach = 4 * Math.max(span, rangeForTarget ?? cfg.sizing.maxWindowMs);
      const older = await findOlderData(client, metric, { floor: range.start, end: start - 1 }, reach, { signal: cfg.signal });
      result.queries += older.queries;
      if (!older.resume) break;
      end = older.resume.end;
      span = nextWindowMs(cfg.sizing, older.resume.bucketMs, older.resume.bucketPoints, true);
      continue;
    }
    end = start - 1;
  }
  // Open first points at the start of the range: earlier points exist only if the chain begins earlier.
  for (const [key, o] of open) {
    if (cfg.chainStart < range.start) await ask(key, o);
  }
  for (const [chunk, keys] of toInteger) {
    result.chunks[chunk] = await rewriteFirstPointsAsIntegers(repo, result.chunks[chunk]!, keys, cfg.zstdLevel, cfg.signal);
  }
  result.series = seriesSeen.size;
  cfg.progress({ type: 'metric-done', metric, points: result.points });
  return result;
}

