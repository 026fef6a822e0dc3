// Chooses the next time window for a metric from the density of the last one, so that each query
// returns about `targetPoints`. Empty windows grow geometrically (cheap HBase scans), but never past
// `maxWindowMs` until the metric has shown data: going back in time, empty windows after data are most
// likely from before the metric existed and may grow without bound, while a metric that is silent now
// may still hold dense history, which a huge window would make the TSD load in one piece.

export interface WindowSizing {
  initialWindowMs: number;
  minWindowMs: number;
  maxWindowMs: number;
  targetPoints: number;
}

export const DEFAULT_SIZING: WindowSizing = {
  initialWindowMs: 3_600_000,
  minWindowMs: 60_000,
  maxWindowMs: 7 * 86_400_000,
  targetPoints: 150_000,
};

const MAX_GROWTH = 4;

/** The shortest window accepted: below a second a window gains nothing, and a zero window never advances. */
export const SHORTEST_WINDOW_MS = 1000;

/** What is wrong with these sizes, or undefined; names the fields as WindowSizing does. */
export function sizingProblem(s: WindowSizing): string | undefined {
  for (const k of ['minWindowMs', 'maxWindowMs', 'initialWindowMs'] as const) {
    if (!Number.isSafeInteger(s[k]) || s[k] < SHORTEST_WINDOW_MS) return `${k} must be a whole number of ms of at least ${SHORTEST_WINDOW_MS}, not ${s[k]}`;
  }
  if (s.minWindowMs > s.maxWindowMs) return `minWindowMs (${s.minWindowMs}) is longer than maxWindowMs (${s.maxWindowMs})`;
  if (!Number.isSafeInteger(s.targetPoints) || s.targetPoints < 1) return `targetPoints must be a whole number from 1, not ${s.targetPoints}`;
  return undefined;
}

export function nextWindowMs(sizing: WindowSizing, lastSpanMs: number, lastPoints: number, seenData: boolean): number {
  if (lastPoints === 0) {
    const grown = lastSpanMs * MAX_GROWTH;
    return seenData ? grown : Math.min(sizing.maxWindowMs, grown);
  }
  const next = Math.min((lastSpanMs * sizing.targetPoints) / lastPoints, lastSpanMs * MAX_GROWTH);
  return Math.round(Math.max(sizing.minWindowMs, Math.min(sizing.maxWindowMs, next)));
}

/** Start of a window that ends at `end` (inclusive) and lasts about `spanMs`, on an hour boundary when long. */
export function windowStart(end: number, spanMs: number, floor: number): number {
  let start = end - spanMs + 1;
  if (spanMs >= 3_600_000) start = Math.floor(start / 3_600_000) * 3_600_000;
  return Math.max(floor, start);
}

/**
 * End (inclusive) of a window that begins at `start` and lasts about `spanMs`, on an hour boundary when
 * long, else on a multiple of `alignMs` when given.
 */
export function windowEnd(start: number, spanMs: number, ceiling: number, alignMs = 1): number {
  const grain = spanMs >= 3_600_000 && 3_600_000 % alignMs === 0 ? 3_600_000 : alignMs;
  let end = start + spanMs - 1;
  end = Math.ceil((end + 1) / grain) * grain - 1;
  return Math.min(ceiling, Math.max(start, end));
}
