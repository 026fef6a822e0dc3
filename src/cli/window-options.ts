// --min-window and --max-window: checked together, so that no window can be zero or inverted (a zero
// --max-window made a backup repeat one window forever).

import { SHORTEST_WINDOW_MS } from '../fetch/window-sizer.js';
import { UsageError } from '../errors.js';
import { durationMs } from './option-parsers.js';

export function windowSizing(o: { minWindow: string; maxWindow: string; targetPoints: number }): {
  minWindowMs: number;
  maxWindowMs: number;
  targetPoints: number;
} {
  const minWindowMs = durationMs('--min-window', o.minWindow, { min: SHORTEST_WINDOW_MS });
  const maxWindowMs = durationMs('--max-window', o.maxWindow, { min: SHORTEST_WINDOW_MS });
  if (minWindowMs > maxWindowMs) throw new UsageError(`--min-window ${o.minWindow} is longer than --max-window ${o.maxWindow}`);
  return { minWindowMs, maxWindowMs, targetPoints: o.targetPoints };
}
