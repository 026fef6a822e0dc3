// Asks the TSD how the point before `firstTs` of one series prints when its successor is in the
// scan, to settle whether an ambiguous first point is an integer (see kind-inference.ts).

import { KIND_FLOAT, type ValueKind } from '../format/point-value.js';
import type { TsdClient } from '../opentsdb/client.js';
import { exactSeriesFilters } from '../opentsdb/tag-filter.js';
import { decideFirst, resolveAfterFirst, scanReach } from './kind-inference.js';

const HOUR = 3_600_000;

export async function kindFromPreviousPoint(
  client: Pick<TsdClient, 'queryRaw'>,
  metric: string,
  tags: Record<string, string>,
  firstTs: number,
  opts: { from?: number; floor: number; signal?: AbortSignal },
): Promise<{ kind: ValueKind; queries: number }> {
  const end = firstTs - 1;
  let span = opts.from !== undefined ? firstTs - opts.from : HOUR;
  for (let queries = 1; ; queries++) {
    const start = Math.max(opts.floor, firstTs - span);
    if (start > end) return { kind: KIND_FLOAT, queries: queries - 1 };
    const { series } = await client.queryRaw({ metric, start, end, filters: exactSeriesFilters(tags), explicitTags: true }, { signal: opts.signal });
    const s = series.find((x) => x.timestamps.length > 0);
    if (s) {
      const { printed } = resolveAfterFirst(s);
      const n = s.timestamps.length - 1;
      const decided = decideFirst(firstTs, { ts: s.timestamps[n]!, printed: printed[n]!, reach: scanReach(end) });
      return { kind: decided === 'ask' ? KIND_FLOAT : decided, queries };
    }
    if (start === opts.floor) return { kind: KIND_FLOAT, queries };
    span *= 8;
  }
}
