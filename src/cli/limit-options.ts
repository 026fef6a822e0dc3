// The rate limits as options: --limit-points and --limit-bytes for the TSD side, --limit-upload and
// --limit-download for the repository's storage. Each limit of a run is one token bucket, made here once
// per command invocation (keyed by its options object), so that every client or storage the command
// opens shares it, and the summary can say what each limit let through.

import { LOCKS_PREFIX } from '../repository/lock.js';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseRate, type RateUnit } from '../limits/rate.js';
import { TokenBucket } from '../limits/token-bucket.js';
import type { TsdLimits } from '../opentsdb/client.js';
import type { StorageLimits } from '../storage/rate-limited-storage.js';
import { formatBytes, formatCount, formatDuration } from './format-numbers.js';

export interface TsdLimitValues {
  limitPoints?: number;
  limitBytes?: number;
}

export interface StorageLimitValues {
  limitUpload?: number;
  limitDownload?: number;
}

/** A commander parser of a rate; the message names the option (or variable, or config field). */
export function rate(option: string, unit: RateUnit) {
  return (value: string): number => {
    try {
      return parseRate(value, unit);
    } catch (err) {
      throw new UsageError(`${option}: ${(err as Error).message}`);
    }
  };
}

/** `points` says what --limit-points counts for this command (e.g. 'points read from the source'). */
export function addTsdLimitOptions(cmd: Command, points: string): Command {
  return cmd
    .option(
      '--limit-points <rate>',
      `at most this many ${points} per second, e.g. 50k (token bucket; a query then aims for at most a second's worth)`,
      rate('--limit-points', 'points'),
    )
    .option(
      '--limit-bytes <rate>',
      'at most this many HTTP body bytes per second to and from each TSD, as on the wire, e.g. 20MiB or 50MB (token bucket)',
      rate('--limit-bytes', 'bytes'),
    );
}

export const STORAGE_LIMIT_HELP = {
  upload:
    'at most this many bytes per second of objects written to the repository, e.g. 50MB or 20MiB (or TSDB_BACKUP_LIMIT_UPLOAD, or "limits.upload" in the config file)',
  download: 'at most this many bytes per second of objects read from the repository (or TSDB_BACKUP_LIMIT_DOWNLOAD, or "limits.download" in the config file)',
};

interface LimitEntry {
  option: string;
  unit: RateUnit;
  /** Which TSD a --limit-bytes bucket is for, when a command talks to two. */
  tsd?: string;
  bucket: TokenBucket;
}

const buckets = new WeakMap<object, LimitEntry[]>();

function bucketFor(o: object, option: string, unit: RateUnit, perSecond: number | undefined, tsd?: string): TokenBucket | undefined {
  if (perSecond === undefined) return undefined;
  const entries = buckets.get(o) ?? [];
  buckets.set(o, entries);
  let entry = entries.find((e) => e.option === option && e.tsd === tsd);
  if (!entry) {
    entry = { option, unit, ...(tsd ? { tsd } : {}), bucket: new TokenBucket({ perSecond }) };
    entries.push(entry);
  }
  return entry.bucket;
}

/**
 * The limiters of one TSD client. `points` says whether this client's points are the limited ones
 * (replicate limits what it reads from the primary: the standby is written as much); `tsd` names the
 * client when a command has two, each of which gets its own --limit-bytes.
 */
export function tsdLimits(o: TsdLimitValues, which: { points: boolean; tsd?: string }): TsdLimits {
  return {
    points: which.points ? bucketFor(o, '--limit-points', 'points', o.limitPoints) : undefined,
    bytes: bucketFor(o, '--limit-bytes', 'bytes', o.limitBytes, which.tsd),
  };
}

export function storageLimits(o: StorageLimitValues): StorageLimits {
  return {
    upload: bucketFor(o, '--limit-upload', 'bytes', o.limitUpload),
    download: bucketFor(o, '--limit-download', 'bytes', o.limitDownload),
    exempt: (key) => key.startsWith(LOCKS_PREFIX),
  };
}

/** With --limit-points, a query aims for at most one second of the limit, so the TSD sees an even load. */
export function limitedTargetPoints(targetPoints: number, o: TsdLimitValues): number {
  return o.limitPoints === undefined ? targetPoints : Math.min(targetPoints, o.limitPoints);
}

export interface LimitReport {
  option: string;
  unit: RateUnit;
  tsd?: string;
  perSecond: number;
  /** Points or bytes counted against the limit. */
  amount: number;
  /** amount over the limited phase: from the first amount counted to the last one let through. */
  achievedPerSecond: number;
  /** Wall time during which the run waited for this limit. */
  throttledMs: number;
}

/** What each limit of the run let through, for the summary; empty when the run had none. */
export function limitReports(o: object): LimitReport[] {
  return (buckets.get(o) ?? []).map((e) => {
    const s = e.bucket.stats();
    // The bucket starts empty, so the first amount always waits: the phase is never empty when amount > 0.
    const durationMs = (s.until ?? 0) - (s.since ?? 0);
    return {
      option: e.option,
      unit: e.unit,
      ...(e.tsd ? { tsd: e.tsd } : {}),
      perSecond: s.perSecond,
      amount: s.amount,
      achievedPerSecond: durationMs > 0 ? Math.round((s.amount * 1000) / durationMs) : 0,
      throttledMs: s.throttledMs,
    };
  });
}

function perSecond(n: number, unit: RateUnit): string {
  return unit === 'bytes' ? `${formatBytes(n)}/s` : `${formatCount(n)} points/s`;
}

/** One line for the text summary, e.g. "limits: --limit-points 20.0k points/s: 19.8k points/s achieved, throttled 9.1 s". */
export function describeLimits(reports: readonly LimitReport[]): string | undefined {
  if (reports.length === 0) return undefined;
  const parts = reports.map(
    (r) =>
      `${r.option}${r.tsd ? ` (${r.tsd})` : ''} ${perSecond(r.perSecond, r.unit)}: ${perSecond(r.achievedPerSecond, r.unit)} achieved, throttled ${formatDuration(r.throttledMs)}`,
  );
  return `limits: ${parts.join('; ')}`;
}
