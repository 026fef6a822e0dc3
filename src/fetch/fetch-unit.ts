// Fetches one query unit, splitting it when the TSD cannot answer it whole: first by time (halving the
// window down to a minimum), then by series (tag partitions). A unit that may hold more series than one
// query can return (series-count.ts) is counted first and, when it holds more, split by series at once:
// past that count the TSD does not fail, it hangs. Nothing is ever skipped: a unit that cannot be
// fetched fails the backup with the metric and window in the message.

import { TsdbBackupError, throwIfAborted } from '../errors.js';
import { sleep } from '../retry.js';
import type { TsdClient } from '../opentsdb/client.js';
import { hasTagFilter } from '../opentsdb/tag-filter.js';
import { isBrokenExchange, isTimeout, TsdHttpError, TsdResponseTooLargeError } from '../opentsdb/errors.js';
import type { ProgressReporter } from '../progress.js';
import { describeUnit, SourceReadError } from './fetch-errors.js';
import { countPoints, halveWindow, type FetchedPiece, type QueryUnit } from './query-unit.js';
import { MAX_SERIES_PER_QUERY } from './series-count.js';
import { chooseSplitKey, initialPartitions, mergeUnsampled, partitionFilter, refinePartition, splitFromEnd, type SeriesPartition } from './series-split.js';

export interface FetchConfig {
  maxResponseBytes: number;
  minWindowMs: number;
  /** Series sampled through /api/search/lookup to choose a tag key to split by. */
  splitSampleSize: number;
  /** Series one raw query may return; default MAX_SERIES_PER_QUERY. */
  maxSeriesPerQuery?: number;
  signal?: AbortSignal;
  progress: ProgressReporter;
  /** What to do when a series split returns fewer points than the TSD counts (default: run the backup again). */
  splitShortfallHint?: string;
}

type Client = Pick<TsdClient, 'queryRaw' | 'countPoints' | 'countSeries' | 'sampleSeriesTags'>;

export interface FetchUnitOptions {
  /** Count the unit's series before reading it, and split it by series at once when there are too many. */
  countSeries?: boolean;
  /** Whether the client asks a read that timed out again (default: when counted). */
  retryTimeouts?: boolean;
}

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

function seriesLimit(cfg: FetchConfig): number {
  return cfg.maxSeriesPerQuery ?? MAX_SERIES_PER_QUERY;
}

export async function fetchUnit(client: Client, unit: QueryUnit, cfg: FetchConfig, opts: FetchUnitOptions = {}): Promise<FetchedPiece[]> {
  throwIfAborted(cfg.signal);
  if (opts.countSeries) {
    const n = await named(unit, client.countSeries(unit, { signal: cfg.signal }));
    if (n > seriesLimit(cfg)) {
      // The count spans the rows the query scans, so it also covers series without a point in the unit:
      // an empty unit next to many series needs no split, only the proof that it is empty.
      const points = await named(unit, client.countPoints(unit, { signal: cfg.signal }));
      if (points === 0) return [{ unit, series: [], points: 0, responseBytes: 0 }];
      // A shorter window would hold about as many series: split by series straight away.
      const why = new Error(`${n} series, more than the ${seriesLimit(cfg)} one query may return`);
      cfg.progress({ type: 'retry', message: `splitting ${describeUnit(unit)} by series: ${why.message}` });
      return fetchBySeries(client, unit, cfg, why, points);
    }
  }
  try {
    // Uncounted, a window may hold more series than the guess from a newer one (a fleet that shrank): 2.4.1
    // hangs on it, so a timeout is not waited out again; the window is counted instead (below).
    const { series, bytes } = await client.queryRaw(unit, {
      signal: cfg.signal,
      maxBytes: cfg.maxResponseBytes,
      retryTimeouts: opts.retryTimeouts ?? opts.countSeries === true,
    });
    return [{ unit, series, points: countPoints(series), responseBytes: bytes }];
  } catch (err) {
    if (!opts.countSeries && isTimeout(err)) {
      cfg.progress({ type: 'retry', message: `counting the series of ${describeUnit(unit)} before reading it again: ${(err as Error).message}` });
      // Within the limit, a second timeout is a slow window, not the hang: it is halved (below), not waited out again.
      return fetchUnit(client, unit, cfg, { countSeries: true, retryTimeouts: false });
    }
    if (!isSizeRelated(err)) {
      throw new SourceReadError(`cannot read ${describeUnit(unit)}: ${(err as Error).message}`, { cause: err });
    }
    if (unit.end - unit.start + 1 > cfg.minWindowMs) {
      cfg.progress({ type: 'retry', message: `splitting ${describeUnit(unit)} in time: ${(err as Error).message}` });
      const [left, right] = halveWindow(unit);
      // A failure that is not the answer's size may be a window of too many series: 2.4.1 hangs on one until
      // the timeout, and each half holds about as many series, so the halves are counted first (series-count.ts).
      const count = { countSeries: !(err instanceof TsdResponseTooLargeError) };
      return [...(await fetchUnit(client, left, cfg, count)), ...(await fetchUnit(client, right, cfg, count))];
    }
    cfg.progress({ type: 'retry', message: `splitting ${describeUnit(unit)} by series: ${(err as Error).message}` });
    return fetchBySeries(client, unit, cfg, err);
  }
}

/** The lookups and counts that plan a read name the unit when they fail, as the queries do. */
async function named<T>(unit: QueryUnit, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (!(err instanceof TsdbBackupError) || err.code === 'INTERRUPTED') throw err;
    throw new SourceReadError(`cannot read ${describeUnit(unit)}: ${err.message}`, { cause: err });
  }
}

/** `counted`: the unit's points as the TSD counts them, when already asked. */
async function fetchBySeries(client: Client, unit: QueryUnit, cfg: FetchConfig, why: unknown, counted?: number): Promise<FetchedPiece[]> {
  const samples = await named(unit, client.sampleSeriesTags(unit.metric, cfg.splitSampleSize, { signal: cfg.signal }));
  const tagk = await keyOfEverySeries(client, unit, samples, cfg, why);
  const expected = counted ?? (await named(unit, client.countPoints(unit, { signal: cfg.signal })));
  const pieces: FetchedPiece[] = [];
  const sampled = samples.flatMap((t) => (t[tagk] === undefined ? [] : [t[tagk]]));
  for (const part of mergeUnsampled(initialPartitions(tagk, splitFromEnd(samples, tagk)), sampled))
    pieces.push(...(await fetchPartition(client, unit, part, cfg, sampled)));
  const got = pieces.reduce((n, p) => n + p.points, 0);
  if (got < expected) {
    throw new SourceReadError(
      `cannot read ${describeUnit(unit)} completely: split by tag '${tagk}' it returned ${got} points but the TSD counts ${expected} (points deleted, or a series without that tag started, while it was read)`,
      { hint: cfg.splitShortfallHint ?? 'run the backup again: the window is read and counted anew' },
    );
  }
  return pieces;
}

/** Rounds of counts that may meet new series before the split key is given up as unprovable. */
const KEY_PROOF_ROUNDS = 5;
/** Pause before another round of counts, doubled each round. */
const KEY_PROOF_PAUSE_MS = 250;

/**
 * The tag key to split the unit by: one that every series with a point in the unit has. A filter never
 * matches a series without its key (2.4.1), so partitions by a key some series lack would never read them,
 * and on a live cluster the count of points cannot be trusted to notice: points written between the count
 * and the reads make up for a series never read. A key some series lack is passed over for the next.
 */
async function keyOfEverySeries(
  client: Client,
  unit: QueryUnit,
  samples: ReadonlyArray<Record<string, string>>,
  cfg: FetchConfig,
  why: unknown,
): Promise<string> {
  const tried = new Set(unit.filters.map((f) => f.tagk));
  const lacking: string[] = [];
  let lackingOf = '';
  for (;;) {
    const tagk = chooseSplitKey(samples, tried);
    if (!tagk) {
      if (lacking.length === 0) {
        throw new SourceReadError(`cannot read ${describeUnit(unit)}: ${(why as Error).message}, and its series have no tag left to split by`, { cause: why });
      }
      throw new SourceReadError(
        `cannot read ${describeUnit(unit)}: ${(why as Error).message}, and it cannot be split by series: ${lackingOf} lack tag ${lacking.map((k) => `'${k}'`).join(' or ')}`,
        {
          cause: why,
          hint: `OpenTSDB reads series by tag filters, which never match a series without the tag key: give every series of ${unit.metric} one tag key in common (or delete those that lack it)`,
        },
      );
    }
    tried.add(tagk);
    const proof = await everySeriesHas(client, unit, tagk, cfg);
    if (proof.lacking === 0) return tagk;
    lacking.push(tagk);
    lackingOf = lackingOf || `${proof.lacking} of the ${proof.all} series`;
    cfg.progress({ type: 'retry', message: `${proof.lacking} of the ${proof.all} series of ${describeUnit(unit)} lack tag '${tagk}': not splitting by it` });
  }
}

/**
 * Whether every series with a point in the unit has `tagk`, from two counts of the TSD: the series that
 * have the key, then all series. Series only come (late points may start one in a past window), so as many
 * with the key as all series right after proves that none lacked it. Fewer is a lack only when no series
 * started meanwhile: when the count of all series before the count with the key was the same.
 */
async function everySeriesHas(client: Client, unit: QueryUnit, tagk: string, cfg: FetchConfig): Promise<{ lacking: number; all: number }> {
  const withKey: QueryUnit = { ...unit, filters: [...unit.filters, hasTagFilter(tagk)] };
  const count = (u: QueryUnit): Promise<number> => named(unit, client.countSeries(u, { signal: cfg.signal, withPoints: true }));
  let before: number | undefined;
  for (let round = 0; round < KEY_PROOF_ROUNDS; round++) {
    if (round > 0) await sleep(KEY_PROOF_PAUSE_MS * 2 ** (round - 1), cfg.signal);
    const having = await count(withKey);
    const all = await count(unit);
    if (having >= all) return { lacking: 0, all };
    if (before === all) return { lacking: all - having, all };
    before = all;
  }
  throw new SourceReadError(
    `cannot read ${describeUnit(unit)}: new series kept starting in it while the TSD counted which have tag '${tagk}' (${KEY_PROOF_ROUNDS} rounds), so it cannot be proven that splitting by it reads them all`,
    { hint: 'run again; late points that start new series in a past window are rare, and the next run meets them settled' },
  );
}

/**
 * One partition: counted first (a partition with too many series would hang, not fail), skipped when
 * it has none, refined without a query when it has too many.
 */
async function fetchPartition(client: Client, unit: QueryUnit, part: SeriesPartition, cfg: FetchConfig, sampled: readonly string[]): Promise<FetchedPiece[]> {
  throwIfAborted(cfg.signal);
  const sub: QueryUnit = { ...unit, filters: [...unit.filters, partitionFilter(part)] };
  const n = await named(sub, client.countSeries(sub, { signal: cfg.signal }));
  if (n === 0) return [];
  if (n > seriesLimit(cfg))
    return refineOrResplit(client, unit, sub, part, cfg, sampled, new Error(`${n} series, more than the ${seriesLimit(cfg)} one query may return`));
  try {
    const { series, bytes } = await client.queryRaw(sub, { signal: cfg.signal, maxBytes: cfg.maxResponseBytes });
    return [{ unit: sub, series, points: countPoints(series), responseBytes: bytes }];
  } catch (err) {
    if (!isSizeRelated(err)) throw new SourceReadError(`cannot read ${describeUnit(sub)}: ${(err as Error).message}`, { cause: err });
    return refineOrResplit(client, unit, sub, part, cfg, sampled, err);
  }
}

async function refineOrResplit(
  client: Client,
  unit: QueryUnit,
  sub: QueryUnit,
  part: SeriesPartition,
  cfg: FetchConfig,
  sampled: readonly string[],
  why: unknown,
): Promise<FetchedPiece[]> {
  const finer = refinePartition(part);
  // Out of characters for this key (one value alone has too many series): split those series by another tag key.
  if (!finer) return fetchBySeries(client, sub, cfg, why);
  const out: FetchedPiece[] = [];
  // A merged partition's own parts are not merged again: that would give it back.
  const parts = part.merged ? finer : mergeUnsampled(finer, sampled);
  for (const p of parts) out.push(...(await fetchPartition(client, unit, p, cfg, sampled)));
  return out;
}
