// Windows read ahead in a newest-first walk: while the current window is settled, encoded and stored,
// the TSD already answers the next older ones, so that a metric's windows no longer wait for each other
// (a big metric, or the last metric of a backup, runs alone at the end). One window ahead is the walk's
// own; more come from the backup's idle workers (read-ahead-budget.ts). Windows ahead are planned with
// the span known when they are asked for; the walk takes them as they are. All are dropped (and their
// requests aborted) when the walk goes elsewhere: an empty window sends it to where a count found older data.
//
// Memory: a window read ahead accepts at most a quarter of --max-response-mb; a larger answer is split (in
// time, then by series) like any other. So a burst of density can cost more queries, but the answers in
// memory at once stay near what they were without reading ahead (one full-size answer per metric in flight).

/** The share of --max-response-mb a window read ahead may answer with. */
export const AHEAD_RESPONSE_SHARE = 4;

import type { TsdClient } from '../opentsdb/client.js';
import { fetchUnit, type FetchConfig, type FetchUnitOptions } from './fetch-unit.js';
import type { ReadAheadBudget } from './read-ahead-budget.js';
import type { FetchedPiece } from './query-unit.js';

type Client = Pick<TsdClient, 'queryRaw' | 'countPoints' | 'countSeries' | 'sampleSeriesTags'>;

interface Ahead {
  start: number;
  end: number;
  pieces: Promise<FetchedPiece[]>;
  stop: AbortController;
}

export class FetchAhead {
  /** Contiguous windows, newest first: each one ends where the one before it starts. */
  private aheads: Ahead[] = [];
  /** Windows ahead beyond the walk's own one, borrowed from the budget. */
  private borrowed = 0;

  constructor(
    private readonly client: Client,
    private readonly metric: string,
    private readonly cfg: FetchConfig,
    private readonly budget?: ReadAheadBudget,
  ) {
    budget?.enter();
  }

  /** Where the window read ahead that ends at `end` starts, if there is one. */
  startOf(end: number): number | undefined {
    return this.aheads[0]?.end === end ? this.aheads[0].start : undefined;
  }

  /** The pieces of [start, end]: the answer read ahead when it is that window, else read now. */
  take(start: number, end: number, opts: FetchUnitOptions = {}): Promise<FetchedPiece[]> {
    const a = this.aheads[0];
    if (a && a.start === start && a.end === end) {
      this.aheads.shift();
      this.giveBackUnused();
      return a.pieces;
    }
    this.drop();
    return fetchUnit(this.client, { metric: this.metric, start, end, filters: [] }, this.cfg, opts);
  }

  /**
   * Reads ahead the windows that end at `end` and before it, down to `floor`: the walk's own one, and one
   * more for each window the budget lends. `startOf(e)` plans the window that ends at e.
   */
  fill(end: number, floor: number, startOf: (end: number) => number, opts: (start: number, end: number) => FetchUnitOptions): void {
    if (this.aheads.length > 0 && this.aheads[0]!.end !== end) this.drop();
    for (;;) {
      const last = this.aheads.at(-1);
      const e = last ? last.start - 1 : end;
      if (e < floor) return;
      if (this.aheads.length > 0) {
        if (!this.budget?.tryBorrow()) return;
        this.borrowed++;
      }
      const s = startOf(e);
      this.aheads.push(this.read(s, e, opts(s, e)));
    }
  }

  private read(start: number, end: number, opts: FetchUnitOptions): Ahead {
    const stop = new AbortController();
    const signal = this.cfg.signal ? AbortSignal.any([this.cfg.signal, stop.signal]) : stop.signal;
    const maxResponseBytes = Math.max(1, Math.floor(this.cfg.maxResponseBytes / AHEAD_RESPONSE_SHARE));
    const pieces = fetchUnit(this.client, { metric: this.metric, start, end, filters: [] }, { ...this.cfg, signal, maxResponseBytes }, opts);
    // Observed here so that a window dropped before it failed is no unhandled rejection; take() hands the
    // promise itself on, and whoever awaits it sees the failure.
    pieces.catch(() => undefined);
    return { start, end, pieces, stop };
  }

  /** Aborts the windows read ahead, if any: the walk will not take them. */
  drop(): void {
    for (const a of this.aheads) a.stop.abort();
    this.aheads = [];
    this.giveBackUnused();
  }

  /** The walk ends: nothing stays read ahead or borrowed. */
  close(): void {
    this.drop();
    this.budget?.leave();
  }

  /** Borrowed windows no longer ahead go back to the budget. */
  private giveBackUnused(): void {
    const excess = this.borrowed - Math.max(0, this.aheads.length - 1);
    if (excess <= 0) return;
    this.borrowed -= excess;
    this.budget?.giveBack(excess);
  }
}
