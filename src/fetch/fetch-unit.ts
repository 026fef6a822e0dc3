// Fetches one query unit, splitting it when the TSD cannot answer it whole: first by time (halving the
// window down to a minimum), then by series (tag partitions). Nothing is ever skipped: a unit that
// cannot be fetched fails the backup with the metric and window in the message.

import { TsdbBackupError, throwIfAborted } from '../errors.js';
import type { TsdClient } from '../opentsdb/client.js';
import { isBrokenExchange, TsdHttpError, TsdResponseTooLargeError } from '../opentsdb/errors.js';
import type { ProgressReporter } from '../progress.js';
import { describeUnit, SourceReadError } from './fetch-errors.js';
import { countPoints, halveWindow, type FetchedPiece, type QueryUnit } from './query-unit.js';
import { chooseSplitKey, initialPartitions, partitionFilter, refinePartition, type SeriesPartition } from './series-split.js';

export interface FetchConfig {
  maxResponseBytes: number;
  minWindowMs: number;
  /** Series sampled through /api/search/lookup to choose a tag key to split by. */
  splitSampleSize: number;
  signal?: AbortSignal;
  progress: ProgressReporter;
}

type Client = Pick<TsdClient, 'queryRaw' | 'countPoints' | 'sampleSeriesTags'>;

/**
 * Failures that a smaller query may avoid, after the client's retries: too large for us, refused as too
 * large, failing in the TSD (5xx, 424 from its HBase client), or a broken exchange. Each half gets fresh
 * retries, so a flaky source costs more queries instead of the metric. A refused connection or an
 * unknown host is not among them: the TSD is down, and smaller queries would only hide that.
 */
export function isSizeRelated(err: unknown): boolean {
  if (err instanceof TsdResponseTooLargeError) return true;
  if (err instanceof TsdHttpError) return err.status === 413 || err.status === 424 || err.status >= 500;
  return isBrokenExchange(err);
}

export async function fetchUnit(client: Client, unit: QueryUnit, cfg: FetchConfig): Promise<FetchedPiece[]> {
  throwIfAborted(cfg.signal);
  try {
    const { series, bytes } = await client.queryRaw(unit, { signal: cfg.signal, maxBytes: cfg.maxResponseBytes });
    return [{ unit, series, points: countPoints(series), responseBytes: bytes }];
  } catch (err) {
    if (!isSizeRelated(err)) {
      throw new SourceReadError(`cannot read ${describeUnit(unit)}: ${(err as Error).message}`, { cause: err });
    }
    if (unit.end - unit.start + 1 > cfg.minWindowMs) {
      cfg.progress({ type: 'retry', message: `splitting ${describeUnit(unit)} in time: ${(err as Error).message}` });
      const [left, right] = halveWindow(unit);
      return [...(await fetchUnit(client, left, cfg)), ...(await fetchUnit(client, right, cfg))];
    }
    cfg.progress({ type: 'retry', message: `splitting ${describeUnit(unit)} by series: ${(err as Error).message}` });
    return fetchBySeries(client, unit, cfg, err);
  }
}

async function fetchBySeries(client: Client, unit: QueryUnit, cfg: FetchConfig, why: unknown): Promise<FetchedPiece[]> {
  // The lookups that plan the split name the unit when they fail, as the queries do.
  const named = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (err) {
      if (!(err instanceof TsdbBackupError) || err.code === 'INTERRUPTED') throw err;
      throw new SourceReadError(`cannot read ${describeUnit(unit)}: ${err.message}`, { cause: err });
    }
  };
  const samples = await named(client.sampleSeriesTags(unit.metric, cfg.splitSampleSize, { signal: cfg.signal }));
  const tagk = chooseSplitKey(samples, new Set(unit.filters.map((f) => f.tagk)));
  if (!tagk) {
    throw new SourceReadError(`cannot read ${describeUnit(unit)}: ${(why as Error).message}, and its series have no tag left to split by`, {
      cause: why,
    });
  }
  const expected = await named(client.countPoints(unit, { signal: cfg.signal }));
  const pieces: FetchedPiece[] = [];
  for (const part of initialPartitions(tagk)) pieces.push(...(await fetchPartition(client, unit, part, cfg)));
  const got = pieces.reduce((n, p) => n + p.points, 0);
  if (got < expected) {
    throw new SourceReadError(
      `cannot read ${describeUnit(unit)} completely: split by tag '${tagk}' it returned ${got} points but the TSD counts ${expected}; some series lack that tag`,
      { hint: 'raise --max-response-mb or narrow the time range so the window can be read whole' },
    );
  }
  return pieces;
}

async function fetchPartition(client: Client, unit: QueryUnit, part: SeriesPartition, cfg: FetchConfig): Promise<FetchedPiece[]> {
  throwIfAborted(cfg.signal);
  const sub: QueryUnit = { ...unit, filters: [...unit.filters, partitionFilter(part)] };
  try {
    const { series, bytes } = await client.queryRaw(sub, { signal: cfg.signal, maxBytes: cfg.maxResponseBytes });
    return [{ unit: sub, series, points: countPoints(series), responseBytes: bytes }];
  } catch (err) {
    if (!isSizeRelated(err)) throw new SourceReadError(`cannot read ${describeUnit(sub)}: ${(err as Error).message}`, { cause: err });
    const finer = refinePartition(part);
    if (!finer) {
      // Out of characters for this key: split the remaining series by another tag key.
      return fetchBySeries(client, sub, cfg, err);
    }
    const out: FetchedPiece[] = [];
    for (const p of finer) out.push(...(await fetchPartition(client, unit, p, cfg)));
    return out;
  }
}
