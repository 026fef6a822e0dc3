// One window read ahead in a newest-first walk: while the current window is settled, encoded and stored,
// the TSD already answers the next older one, so that a metric's windows no longer wait for each other
// (a big metric, or the last metric of a backup, runs alone at the end). The window ahead is planned with
// the span known when it is asked for; the walk takes it as it is. Dropped (and its request aborted) when
// the walk goes elsewhere: an empty window sends it to where a count found older data.
//
// Memory: a window read ahead accepts at most a quarter of --max-response-mb; a larger answer is split (in
// time, then by series) like any other. So a burst of density can cost more queries, but the answers in
// memory at once stay near what they were without reading ahead (one full-size answer per metric in flight).

/** The share of --max-response-mb a window read ahead may answer with. */
export const AHEAD_RESPONSE_SHARE = 4;

import type { TsdClient } from '../opentsdb/client.js';
import { fetchUnit, type FetchConfig, type FetchUnitOptions } from './fetch-unit.js';
import type { FetchedPiece } from './query-unit.js';

type Client = Pick<TsdClient, 'queryRaw' | 'countPoints' | 'countSeries' | 'sampleSeriesTags'>;

interface Ahead {
  start: number;
  end: number;
  pieces: Promise<FetchedPiece[]>;
  stop: AbortController;
}

export class FetchAhead {
  private ahead: Ahead | undefined;

  constructor(
    private readonly client: Client,
    private readonly metric: string,
    private readonly cfg: FetchConfig,
  ) {}

  /** Where the window read ahead that ends at `end` starts, if there is one. */
  startOf(end: number): number | undefined {
    return this.ahead?.end === end ? this.ahead.start : undefined;
  }

  /** The pieces of [start, end]: the answer read ahead when it is that window, else read now. */
  take(start: number, end: number, opts: FetchUnitOptions = {}): Promise<FetchedPiece[]> {
    const a = this.ahead;
    if (a && a.start === start && a.end === end) {
      this.ahead = undefined;
      return a.pieces;
    }
    this.drop();
    return fetchUnit(this.client, { metric: this.metric, start, end, filters: [] }, this.cfg, opts);
  }

  /** Starts reading [start, end] (replacing any window read ahead before). */
  read(start: number, end: number, opts: FetchUnitOptions = {}): void {
    this.drop();
    const stop = new AbortController();
    const signal = this.cfg.signal ? AbortSignal.any([this.cfg.signal, stop.signal]) : stop.signal;
    const maxResponseBytes = Math.max(1, Math.floor(this.cfg.maxResponseBytes / AHEAD_RESPONSE_SHARE));
    const pieces = fetchUnit(this.client, { metric: this.metric, start, end, filters: [] }, { ...this.cfg, signal, maxResponseBytes }, opts);
    // Observed here so that a window dropped before it failed is no unhandled rejection; take() hands the
    // promise itself on, and whoever awaits it sees the failure.
    pieces.catch(() => undefined);
    this.ahead = { start, end, pieces, stop };
  }

  /** Aborts the window read ahead, if any: the walk will not take it. */
  drop(): void {
    this.ahead?.stop.abort();
    this.ahead = undefined;
  }
}
