// One bounded query: a metric, an inclusive millisecond window, and optionally tag filters that select
// a part of its series.

import type { QueriedSeries } from '../opentsdb/query-response.js';
import type { TagFilter } from '../opentsdb/tag-filter.js';

export interface QueryUnit {
  metric: string;
  start: number;
  end: number;
  filters: TagFilter[];
}

export interface FetchedPiece {
  unit: QueryUnit;
  series: QueriedSeries[];
  points: number;
  responseBytes: number;
  /** Read in a request shared with other metrics (first-windows.ts), which counts that request. */
  shared?: boolean;
}

export function countPoints(series: readonly { timestamps: readonly number[] }[]): number {
  let n = 0;
  for (const s of series) n += s.timestamps.length;
  return n;
}

/** Splits a window in two at a round boundary near the middle (a whole hour when the window is long). */
export function halveWindow(u: QueryUnit): [QueryUnit, QueryUnit] {
  const span = u.end - u.start + 1;
  const grain = span >= 4 * 3_600_000 ? 3_600_000 : span >= 4 * 60_000 ? 60_000 : span >= 4000 ? 1000 : 1;
  let mid = u.start + Math.floor(span / 2 / grain) * grain;
  if (mid <= u.start) mid = u.start + Math.floor(span / 2);
  return [
    { ...u, end: mid - 1 },
    { ...u, start: mid },
  ];
}
