// Compares two clusters per metric over a time range by the number of points each holds, counted by
// the TSDs themselves (a `0all-count` downsample: a small answer, cheap for the client). Failover uses
// it to report what the standby lacks, failback what the old primary still lacks.

import type { TsdClient } from '../opentsdb/client.js';
import { isUnknownMetric } from '../opentsdb/errors.js';
import { runParallel } from '../parallel/run-parallel.js';

export interface CountDifference {
  metric: string;
  /** Points the first cluster (the one copied from) holds, and the second. */
  from: number;
  to: number;
}

async function count(client: TsdClient, metric: string, range: { start: number; end: number }, signal?: AbortSignal): Promise<number> {
  try {
    return await client.countPoints({ metric, start: range.start, end: range.end }, { signal });
  } catch (err) {
    if (isUnknownMetric(err)) return 0;
    throw err;
  }
}

/** The metrics whose point counts differ between `from` and `to` in `range`, by name. */
export async function compareCounts(
  from: TsdClient,
  to: TsdClient,
  metrics: readonly string[],
  range: { start: number; end: number },
  opts: { concurrency: number; signal?: AbortSignal },
): Promise<{ compared: number; points: number; differences: CountDifference[] }> {
  const differences: CountDifference[] = [];
  let points = 0;
  await runParallel([...metrics], { concurrency: opts.concurrency, signal: opts.signal }, async (metric, { signal }) => {
    const [a, b] = await Promise.all([count(from, metric, range, signal), count(to, metric, range, signal)]);
    points += a;
    if (a !== b) differences.push({ metric, from: a, to: b });
  });
  differences.sort((x, y) => (x.metric < y.metric ? -1 : 1));
  return { compared: metrics.length, points, differences };
}
