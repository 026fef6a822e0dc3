// Replicate's sink: writes a settled window's points into the standby exactly as restore writes a
// chunk (kind-preserving value tokens, names pre-created, bodies within the standby's limit,
// ?details&sync), leaving out points copied before (copied-points.ts). A point the standby
// refuses fails the window: the checkpoint does not pass it, and the next cycle tries again.

import type { SettledWindow } from '../fetch/settled-windows.js';
import type { WindowSink } from '../fetch/window-sink.js';
import { seriesKey, type Series } from '../format/series.js';
import { TsdbBackupError } from '../errors.js';
import { isUnknownMetric } from '../opentsdb/errors.js';
import { fetchUnit, type FetchConfig } from '../fetch/fetch-unit.js';
import { writeSeriesPoints, type ChunkWriteContext } from '../restore/chunk-writer.js';
import type { CopiedPoints } from './copied-points.js';

const EVERYTHING = [{ start: Number.MIN_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER }];

/** Every series of a window's pieces, its points merged in time order (pieces split by time hold parts). */
function mergedSeries(metric: string, window: SettledWindow): Map<string, Series> {
  const out = new Map<string, Series>();
  for (const piece of window.pieces) {
    for (const s of piece.series) {
      if (s.timestamps.length === 0) continue;
      const key = seriesKey(metric, s.tags);
      const prev = out.get(key);
      if (!prev) out.set(key, { tags: s.tags, timestamps: s.timestamps, kinds: s.kinds, values: s.values });
      else
        out.set(key, {
          tags: s.tags,
          timestamps: [...prev.timestamps, ...s.timestamps],
          kinds: [...prev.kinds, ...s.kinds],
          values: [...prev.values, ...s.values],
        });
    }
  }
  return out;
}

export interface StandbySinkOptions {
  /** How the standby is read (split by time and by series like the primary's reads). */
  read: FetchConfig;
  /** Points of earlier passes may be on the standby up to here (the furthest any pass set out to copy). */
  writtenThrough: number;
  /** Only points from here on are remembered: the next pass reads no earlier. */
  keepFrom: number;
}

export class StandbySink implements WindowSink {
  /** Points read from the primary, and those written to the standby (the others were copied already). */
  read = 0;
  written = 0;

  constructor(
    private readonly metric: string,
    private readonly ctx: ChunkWriteContext,
    private readonly copied: CopiedPoints,
    private readonly opts: StandbySinkOptions,
  ) {}

  /** Where memory does not cover what earlier passes may have written, learns it from the standby. */
  private async seed(window: SettledWindow, signal?: AbortSignal): Promise<void> {
    const covered = this.copied.coveredFrom ?? Number.MAX_SAFE_INTEGER;
    const end = Math.min(window.end, this.opts.writtenThrough, covered - 1);
    if (window.start > end) return;
    let pieces;
    try {
      // Counted first: a window of the standby may hold more series than one query can return (series-count.ts).
      pieces = await fetchUnit(
        this.ctx.client,
        { metric: this.metric, start: window.start, end, filters: [] },
        { ...this.opts.read, signal: signal ?? this.ctx.signal },
        { countSeries: true },
      );
    } catch (err) {
      if (isUnknownMetric(err)) return; // the standby has no such metric yet
      throw new TsdbBackupError('TSD_HTTP', `cannot read what the standby ${this.ctx.client} holds of ${this.metric}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    for (const piece of pieces) this.copied.seed(piece.series.map((x) => [seriesKey(this.metric, x.tags), x.timestamps] as [string, number[]]));
  }

  async write(window: SettledWindow, signal?: AbortSignal): Promise<void> {
    await this.seed(window, signal);
    const changes = [...mergedSeries(this.metric, window)].map(([key, s]) => this.copied.fresh(key, s, this.opts.keepFrom));
    const series = changes.flatMap((c) => (c.series ? [c.series] : []));
    this.read += window.points;
    if (series.length > 0) {
      const label = `${this.metric} [${new Date(window.start).toISOString()} .. ${new Date(window.end).toISOString()}]`;
      const failuresBefore = this.ctx.tally.failures.length;
      const r = await writeSeriesPoints({ ...this.ctx, signal: signal ?? this.ctx.signal }, { metric: this.metric, key: label, label }, series, EVERYTHING);
      this.written += r.written;
      if (r.failed > 0) {
        const first = this.ctx.tally.failures[failuresBefore];
        throw new TsdbBackupError('TSD_HTTP', `the standby refused ${r.failed} point(s) of ${label}${first ? `: ${first.error}` : ''}`, {
          hint: 'the checkpoint stays before this window and the next cycle tries again; fix the standby (its limits: tsd.storage.max_tags, UID creation) and the lag recovers',
        });
      }
    }
    for (const c of changes) c.commit();
    // What this pass has read past and the next pass will not read again; what lies ahead of this
    // window is still needed by this pass.
    this.copied.forgetBefore(Math.min(this.opts.keepFrom, window.end + 1));
  }
}
