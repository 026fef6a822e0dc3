// Reads one window of a metric (under optional tag filters) completely, for the readers that compare a
// live TSD with a backup: restore --verify, restore's conflict check and compare. They read the way the
// backup does (fetch-unit.ts): counted first and, past the series one query may return, split by series,
// because past that count OpenTSDB 2.4.1 does not fail, it hangs until the client's timeout
// (series-count.ts). A read that fails for its size is split further as the backup's are, so one series
// may come back in several pieces, in time order; none is ever left out without an error.

import type { TsdClient } from '../opentsdb/client.js';
import type { QueriedSeries } from '../opentsdb/query-response.js';
import { silentProgress, type ProgressReporter } from '../progress.js';
import { fetchUnit } from './fetch-unit.js';
import { seriesKey } from '../format/series.js';
import type { QueryUnit } from './query-unit.js';
import { DEFAULT_SIZING } from './window-sizer.js';

/** The largest answer read whole: the backup's default --max-response-mb. */
const MAX_RESPONSE_BYTES = 48 * 1024 * 1024;
/** Series sampled through /api/search/lookup to choose a tag key to split by, as the backup samples. */
const SPLIT_SAMPLE_SIZE = 2000;

export interface BoundedReadOptions {
  signal?: AbortSignal;
  /** Told when a read is split ('retry' events). */
  progress?: ProgressReporter;
  /** Series one raw query may return; default MAX_SERIES_PER_QUERY. */
  maxSeriesPerQuery?: number;
}

/** Every series with points in the unit, as the TSD holds them. */
export async function readBounded(
  client: Pick<TsdClient, 'queryRaw' | 'countPoints' | 'countSeries' | 'sampleSeriesTags'>,
  unit: QueryUnit,
  opts: BoundedReadOptions = {},
): Promise<QueriedSeries[]> {
  const cfg = {
    maxResponseBytes: MAX_RESPONSE_BYTES,
    minWindowMs: DEFAULT_SIZING.minWindowMs,
    splitSampleSize: SPLIT_SAMPLE_SIZE,
    ...(opts.maxSeriesPerQuery !== undefined ? { maxSeriesPerQuery: opts.maxSeriesPerQuery } : {}),
    signal: opts.signal,
    progress: opts.progress ?? silentProgress,
    splitShortfallHint: 'run it again: the target is read and counted anew',
  };
  const pieces = await fetchUnit(client, unit, cfg, { countSeries: true });
  return wholeSeries(pieces.flatMap((p) => p.series));
}

/**
 * One series per set of tags: the pieces of a read split in time are joined in their (time) order, so that
 * each point's successor and predecessor are there to tell its kind (kind-inference.ts).
 */
function wholeSeries(parts: QueriedSeries[]): QueriedSeries[] {
  const byKey = new Map<string, QueriedSeries>();
  for (const s of parts) {
    const key = seriesKey(s.metric, s.tags);
    const whole = byKey.get(key);
    if (!whole) {
      byKey.set(key, { ...s, timestamps: [...s.timestamps], kinds: [...s.kinds], values: [...s.values] });
      continue;
    }
    whole.timestamps.push(...s.timestamps);
    whole.kinds.push(...s.kinds);
    whole.values.push(...s.values);
    if (s.annotations) whole.annotations = [...(whole.annotations ?? []), ...s.annotations];
  }
  for (const s of byKey.values()) {
    for (let i = 1; i < s.timestamps.length; i++) {
      if (s.timestamps[i]! <= s.timestamps[i - 1]!)
        throw new Error(`pieces of ${seriesKey(s.metric, s.tags)} overlap or are out of time order at ${s.timestamps[i]}`);
    }
  }
  return [...byKey.values()];
}
