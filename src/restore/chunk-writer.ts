// Writes points into a target TSD: names pre-created when the target does not auto-create them, bodies
// within the target's limit, every point's outcome counted. Restore writes decoded chunks through it,
// replicate the pieces it reads from the primary.

import { TsdbBackupError, throwIfAborted } from '../errors.js';
import type { Series } from '../format/series.js';
import type { TsdClient } from '../opentsdb/client.js';
import type { Interval } from '../repository/time-intervals.js';
import { PutBatcher, pointJson, type PutBody } from './put-batches.js';
import { PointTooLargeError } from './restore-errors.js';
import type { TargetLimits } from './target-limits.js';
import type { UidPrecreator } from './uid-precreate.js';
import type { WrittenRanges } from './written-ranges.js';

export interface WriteTally {
  points: number;
  written: number;
  failed: number;
  requests: number;
  failures: Array<{ metric: string; chunk: string; error: string; datapoint: unknown }>;
}

export const MAX_REPORTED_FAILURES = 20;

export interface ChunkWriteContext {
  client: TsdClient;
  /** Limits the put requests in flight across all chunks: each waits about a second for ?sync. */
  putLimit: <T>(fn: () => Promise<T>) => Promise<T>;
  limits: TargetLimits;
  uids: UidPrecreator;
  gzip: boolean;
  tally: WriteTally;
  /** Ctrl-C or a lost lock: cuts off puts in flight too. */
  signal?: AbortSignal;
  /**
   * Another chunk failed: no new put starts, but puts already sent finish, so that what was written is
   * known and nothing lands in the target after the restore has reported its failure.
   */
  stop?: AbortSignal;
}

/** Waits for every put, then throws the first failure: no put is still running when this chunk reports one. */
async function settleAll(puts: Array<Promise<void>>): Promise<void> {
  const failed = (await Promise.allSettled(puts)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** What the points come from: the metric, a key for failure reports, and words for messages. */
export interface PointsOrigin {
  metric: string;
  key: string;
  label: string;
}

/** Describes a chunk of a backup as the origin of points. */
export function chunkOrigin(entry: { key: string; metric: string }): PointsOrigin {
  return { metric: entry.metric, key: entry.key, label: `chunk ${entry.key} (${entry.metric})` };
}

/** Resuming a chunk an interrupted run wrote in part (restore --resume; see restore-journal.ts). */
export interface WriteResume {
  /**
   * The points of the chunk's point stream (pointJson's order) the target acknowledged: those already
   * there are not sent again, and each body acknowledged without a rejected point is added.
   */
  written: WrittenRanges;
  /** `written` grew. */
  acknowledged(): void;
}

export async function writeSeriesPoints(
  ctx: ChunkWriteContext,
  origin: PointsOrigin,
  series: readonly Series[],
  intervals: readonly Interval[],
  resume?: WriteResume,
): Promise<{ written: number; failed: number }> {
  const { client, limits, uids, tally, signal } = ctx;
  if (!limits.autoCreateMetrics) await uids.ensure('metric', [origin.metric], signal);
  if (!limits.autoCreateTagks)
    await uids.ensure(
      'tagk',
      series.flatMap((s) => Object.keys(s.tags)),
      signal,
    );
  if (!limits.autoCreateTagvs)
    await uids.ensure(
      'tagv',
      series.flatMap((s) => Object.values(s.tags)),
      signal,
    );
  const batcher = new PutBatcher({ maxBodyBytes: limits.maxBodyBytes, gzip: ctx.gzip });
  let written = 0;
  let failed = 0;
  /** The stream ordinals of the points handed to the batcher and not yet in a body (only when resuming). */
  const pending: number[] = [];
  const putOne = async (b: PutBody, from: number, to: number): Promise<void> => {
    throwIfAborted(ctx.stop ?? signal);
    let res;
    try {
      res = await client.put(b.body, { gzip: b.gzip, points: b.points, signal });
    } catch (err) {
      if (err instanceof TsdbBackupError && err.code === 'INTERRUPTED') throw err;
      throw new TsdbBackupError('TSD_HTTP', `cannot write points of ${origin.label} to ${client}: ${(err as Error).message}`, { cause: err });
    }
    tally.requests++;
    // Points the TSD did not account for count as failed, never as written.
    const lost = Math.max(0, b.points - res.success - res.failed);
    written += res.success;
    failed += res.failed + lost;
    // Counted as they are confirmed, so a restore that stops midway can say what it wrote.
    tally.written += res.success;
    tally.failed += res.failed + lost;
    // A body with a rejected point is not written: those points are not in the target. Ordinals
    // between its first and last point that it does not hold were skipped as written already.
    if (resume && res.failed + lost === 0) {
      resume.written.add(from, to);
      resume.acknowledged();
    }
    for (const e of res.errors) {
      if (tally.failures.length < MAX_REPORTED_FAILURES)
        tally.failures.push({ metric: origin.metric, chunk: origin.key, error: e.error, datapoint: e.datapoint });
    }
  };
  // Bodies go out through the shared limit; a few wait queued per chunk so memory stays small.
  let inFlight: Array<Promise<void>> = [];
  const send = async (bodies: PutBody[]): Promise<void> => {
    for (const b of bodies) {
      const ordinals = pending.splice(0, resume ? b.points : 0);
      const from = ordinals[0] ?? 0;
      const to = (ordinals.at(-1) ?? -1) + 1;
      inFlight.push(ctx.putLimit(() => putOne(b, from, to)));
      if (inFlight.length >= 32) {
        await settleAll(inFlight);
        inFlight = [];
      }
    }
  };
  let points = 0;
  let ordinal = -1;
  try {
    for (const item of pointJson(origin.metric, series, intervals)) {
      ordinal++;
      if (resume) {
        if (resume.written.has(ordinal)) continue;
        pending.push(ordinal);
      }
      points++;
      await send(batcher.add(item));
    }
    await send(batcher.flush());
  } catch (err) {
    // The puts already sent finish first, so that the count of what was written is exact.
    await Promise.allSettled(inFlight);
    if (err instanceof PointTooLargeError) throw new PointTooLargeError(`cannot write a point of ${origin.label} to ${client}: ${err.message}`);
    throw err;
  }
  await settleAll(inFlight);
  tally.points += points;
  return { written, failed };
}
