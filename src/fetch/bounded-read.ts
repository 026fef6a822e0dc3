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
  };
  const pieces = await fetchUnit(client, unit, cfg, { countSeries: true });
  return pieces.flatMap((p) => p.series);
}
