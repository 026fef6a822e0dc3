// Defaults shared by replicate, failover and failback.

import type { WindowSizing } from '../fetch/window-sizer.js';

/** The health check's canary metric: written to each cluster by `health`, never replicated. */
export const CANARY_METRIC = 'tsdb.backup.canary';

/** How replication reads the primary: backup's window sizing, and the largest answer before splitting. */
export function replicationReadOptions(sizing: WindowSizing): {
  sizing: WindowSizing;
  maxResponseBytes: number;
  minWindowMs: number;
  splitSampleSize: number;
  splitShortfallHint: string;
} {
  return {
    sizing,
    maxResponseBytes: 48 * 1024 * 1024,
    minWindowMs: sizing.minWindowMs,
    splitSampleSize: 2000,
    splitShortfallHint: 'the next cycle reads the window again',
  };
}
