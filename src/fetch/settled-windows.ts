// Reads one metric over a time range in bounded windows and hands out each window only once every
// point's kind (integer or float) is settled (kind-inference.ts), so that whatever receives it (a
// repository chunk, a standby TSD) never has to take a point back.
//
// Two orders:
// - newest first (backup): recent data is usually the densest and the best guide for sizing older
//   windows, and after an empty window the TSD is asked where older data is (older-data-probe.ts). A
//   window's ambiguous first points are settled by the next, older window, so a window is held back
//   until that one is read (a few windows at most; past that the TSD is asked).
// - oldest first (replicate): each window's first points follow the previous window's last ones, and
//   a checkpoint can advance window by window.

import type { TsdClient } from '../opentsdb/client.js';
import type { QueriedSeries } from '../opentsdb/query-response.js';
import { seriesKey } from '../format/series.js';
import { KIND_INT, type ValueKind } from '../format/point-value.js';
import { FetchAhead } from './fetch-ahead.js';
import { fetchUnit, type FetchConfig } from './fetch-unit.js';
import { decideFirst, resolveAfterFirst, setFirstKind, tailOf, type PrintedTail } from './kind-inference.js';
import { findOlderData } from './older-data-probe.js';
import { kindFromPreviousPoint } from './previous-point.js';
import type { FetchedPiece } from './query-unit.js';
import { MAX_SERIES_PER_QUERY, shouldCountSeries, type SeenSeries } from './series-count.js';
import { nextWindowMs, windowEnd, windowStart, type WindowSizing } from './window-sizer.js';

export interface ReadConfig extends FetchConfig {
  sizing: WindowSizing;
  /**
   * No point before this time matters as context: a first point with no earlier point at or after it
   * is a float when ambiguous (a full backup's own start; an incremental's full).
   */
  contextFloor: number;
}

export interface SettledWindow {
  start: number;
  end: number;
  /** Chronological pieces (or disjoint sets of series), every kind final. */
  pieces: FetchedPiece[];
  points: number;
  /** Queries this window cost besides its pieces: probes for older data, questions about kinds. */
  extraQueries: number;
}

type Client = Pick<TsdClient, 'queryRaw' | 'countPoints' | 'countSeries' | 'countBuckets' | 'sampleSeriesTags'>;

interface OpenFirst {
  series: QueriedSeries;
  firstTs: number;
  /** The earlier point that was too far back to tell: the TSD is asked from there. */
  askFrom?: number;
}

/** A window whose ambiguous first points wait for an older window. */
interface Pending {
  window: SettledWindow;
  open: Map<string, OpenFirst>;
}

/** Held windows before the oldest one's open first points are settled by asking the TSD. */
const MAX_HELD = 4;

/**
 * Resolves kinds inside one window's pieces, using `tails` (earlier points, updated in place). Returns
 * the first points without any earlier point (`open`) and those whose earlier point was too far back
 * to tell (`ask`).
 */
function resolvePieces(metric: string, pieces: FetchedPiece[], tails: Map<string, PrintedTail>): { open: Map<string, OpenFirst>; ask: OpenFirst[] } {
  const open = new Map<string, OpenFirst>();
  const ask: OpenFirst[] = [];
  for (const piece of pieces) {
    for (const s of piece.series) {
      if (s.timestamps.length === 0) continue;
      const key = seriesKey(metric, s.tags);
      const { printed, firstAmbiguous } = resolveAfterFirst(s);
      if (firstAmbiguous) {
        const tail = tails.get(key);
        const decided = tail ? decideFirst(s.timestamps[0]!, tail) : undefined;
        if (decided === undefined) open.set(key, { series: s, firstTs: s.timestamps[0]! });
        else if (decided === 'ask') ask.push({ series: s, firstTs: s.timestamps[0]!, askFrom: tail!.ts });
        else setFirstKind(s, decided);
      }
      tails.set(key, tailOf(s, printed, piece.unit.end)!);
    }
  }
  return { open, ask };
}

function pointsOf(pieces: readonly FetchedPiece[]): number {
  return pieces.reduce((n, p) => n + p.points, 0);
}

class KindAsker {
  constructor(
    private readonly client: Client,
    private readonly metric: string,
    private readonly cfg: ReadConfig,
  ) {}

  /** Settles one open first point by asking the TSD for the point before it (searching from `from`). */
  async settle(window: SettledWindow, o: OpenFirst, from = o.askFrom): Promise<void> {
    const r = await kindFromPreviousPoint(this.client, this.metric, o.series.tags, o.firstTs, { from, floor: this.cfg.contextFloor, signal: this.cfg.signal });
    window.extraQueries += r.queries;
    setFirstKind(o.series, r.kind);
  }

  /** Settles an open first point with the tail of an older window, asking when the tail is too far back. */
  async withTail(window: SettledWindow, o: OpenFirst, tail: PrintedTail): Promise<void> {
    const decided: ValueKind | 'ask' = decideFirst(o.firstTs, tail);
    if (decided === 'ask') await this.settle(window, o, tail.ts);
    else if (decided === KIND_INT) setFirstKind(o.series, KIND_INT);
  }
}

/** The metric's windows from `range.end` back to `range.start`, each handed out once its kinds are final. */
export async function* newestFirst(
  client: Client,
  metric: string,
  range: { start: number; end: number },
  cfg: ReadConfig,
  /** The first window when it was read already (first-windows.ts); used when it is the window this walk starts with. */
  first?: { start: number; end: number; pieces: FetchedPiece[] },
): AsyncGenerator<SettledWindow> {
  const asker = new KindAsker(client, metric, cfg);
  const held: Pending[] = [];
  let span = cfg.sizing.initialWindowMs;
  let end = range.end;
  let seenPoints = 0;
  let rangeForTarget: number | undefined;
  const ahead = new FetchAhead(client, metric, cfg);
  let lastHadPoints = false;
  // The series of the newest window read with points: whether the next one may hold too many for one query.
  let seen: SeenSeries | undefined;
  const seriesLimit = cfg.maxSeriesPerQuery ?? MAX_SERIES_PER_QUERY;
  const countFor = (s: number, e: number) => ({ countSeries: shouldCountSeries(seen, e - s + 1, seriesLimit) });
  try {
    while (end >= range.start) {
      const start = ahead.startOf(end) ?? windowStart(end, span, range.start);
      const given = first?.start === start && first.end === end ? first.pieces : undefined;
      first = undefined;
      const answer = given ? Promise.resolve(given) : ahead.take(start, end, countFor(start, end));
      // In data (the last window had points), the next older window is read while this one is settled and stored.
      if (lastHadPoints && start - 1 >= range.start) {
        const aheadStart = windowStart(start - 1, span, range.start);
        ahead.read(aheadStart, start - 1, countFor(aheadStart, start - 1));
      }
      const pieces = await answer;
      const series = pieces.reduce((n, p) => n + p.series.length, 0);
      if (series > 0) seen = { series, spanMs: end - start + 1 };
      const window: SettledWindow = { start, end, pieces, points: pointsOf(pieces), extraQueries: 0 };
      const tails = new Map<string, PrintedTail>();
      const { open, ask } = resolvePieces(metric, pieces, tails);
      for (const o of ask) await asker.settle(window, o);
      // This older window settles the held windows' open first points of the series it has.
      for (const h of held) {
        for (const [key, o] of h.open) {
          const tail = tails.get(key);
          if (!tail) continue;
          await asker.withTail(h.window, o, tail);
          h.open.delete(key);
        }
      }
      held.push({ window, open });
      while (held.length > 0 && (held[0]!.open.size === 0 || held.length > MAX_HELD)) {
        const h = held.shift()!;
        for (const o of h.open.values()) await asker.settle(h.window, o);
        yield h.window;
      }

      const points = window.points;
      lastHadPoints = points > 0;
      seenPoints += points;
      // At the density last seen, how long a range holds about a window's worth of points.
      if (points > 0) rangeForTarget = Math.ceil(((end - start + 1) * cfg.sizing.targetPoints) / points);
      span = nextWindowMs(cfg.sizing, end - start + 1, points, seenPoints > 0);
      if (points === 0 && start > range.start) {
        // Rather than walking on through empty windows, ask where older data is. The first probe spans
        // what would hold a few windows' worth of points at the density last seen (so it loads little
        // more than a window into the TSD), or a few of the largest windows before any data was seen.
        const reach = 4 * Math.max(span, rangeForTarget ?? cfg.sizing.maxWindowMs);
        const older = await findOlderData(client, metric, { floor: range.start, end: start - 1 }, reach, { signal: cfg.signal });
        window.extraQueries += older.queries;
        if (!older.resume) break;
        end = older.resume.end;
        span = nextWindowMs(cfg.sizing, older.resume.bucketMs, older.resume.bucketPoints, true);
        continue;
      }
      end = start - 1;
    }
  } finally {
    ahead.drop();
  }
  // Open first points at the start of the range: earlier points matter only if the context begins earlier.
  for (const h of held) {
    for (const o of h.open.values()) if (cfg.contextFloor < range.start) await asker.settle(h.window, o);
    yield h.window;
  }
}

export interface ForwardOptions {
  /**
   * The printed last points of earlier windows (of an earlier call over the range just before this
   * one); updated in place.
   */
  tails?: Map<string, PrintedTail>;
  /** The kind of a series' point already settled elsewhere (e.g. copied by an earlier cycle), if known. */
  knownKind?: (seriesKey: string, ts: number) => ValueKind | undefined;
  /** Windows end on multiples of this (ms), except the last. */
  alignMs?: number;
}

/** The metric's windows from `range.start` to `range.end`. */
export async function* oldestFirst(
  client: Client,
  metric: string,
  range: { start: number; end: number },
  cfg: ReadConfig,
  opts: ForwardOptions = {},
): AsyncGenerator<SettledWindow> {
  const tails = opts.tails ?? new Map<string, PrintedTail>();
  const asker = new KindAsker(client, metric, cfg);
  let span = cfg.sizing.initialWindowMs;
  let start = range.start;
  let seen: SeenSeries | undefined;
  const seriesLimit = cfg.maxSeriesPerQuery ?? MAX_SERIES_PER_QUERY;
  while (start <= range.end) {
    const end = windowEnd(start, span, range.end, opts.alignMs);
    const pieces = await fetchUnit(client, { metric, start, end, filters: [] }, cfg, { countSeries: shouldCountSeries(seen, end - start + 1, seriesLimit) });
    const series = pieces.reduce((n, p) => n + p.series.length, 0);
    if (series > 0) seen = { series, spanMs: end - start + 1 };
    const window: SettledWindow = { start, end, pieces, points: pointsOf(pieces), extraQueries: 0 };
    const { open, ask } = resolvePieces(metric, pieces, tails);
    for (const [key, o] of open) {
      const known = opts.knownKind?.(key, o.firstTs);
      if (known === undefined) await asker.settle(window, o);
      else setFirstKind(o.series, known);
    }
    for (const o of ask) await asker.settle(window, o);
    yield window;
    // Forward, empty windows are quiet stretches, not the time before the metric existed: never past the largest.
    span = Math.min(cfg.sizing.maxWindowMs, nextWindowMs(cfg.sizing, end - start + 1, window.points, false));
    start = end + 1;
  }
}
