// How many series one raw query may return, and when a window is counted before it is read.
//
// Measured on the real 2.4.1 (JDK 17, test harness): a raw query over more than about 11,000-12,000
// series never answers. The JSON serializer resolves each series in a Deferred callback that, once the
// UIDs are cached, runs inside the previous series' callback; the I/O thread overflows its stack
// (StackOverflowError in HttpJsonSerializer, logged by asynchbase's RegionClient as "Unexpected exception
// from downstream"), the Error escapes the Deferred chain, and the client waits until its timeout. 11,000
// series answered in about a second, 12,000 hung; the 16,383-callback limit of OpenTSDB issue #1791 comes
// later. The depth a thread stack allows depends on the JVM, hence the margin below.
//
// So a window that may hold that many series is counted first (one small answer: fetch-unit.ts) and, when
// it holds more than the limit, read split by series from the start instead of waiting out a timeout.

/** Series one raw query may return (well under the ~11k at which 2.4.1 hangs on JDK 17). */
export const MAX_SERIES_PER_QUERY = 8000;

/** What the walk last saw: the series of its newest window read so far and that window's span. */
export interface SeenSeries {
  series: number;
  spanMs: number;
}

/**
 * Whether a window of `spanMs` should be counted before it is read: always when nothing was read yet,
 * else when the series last seen, scaled up to the new span (series that come and go add up over a
 * longer window), reach half the limit.
 */
export function shouldCountSeries(last: SeenSeries | undefined, spanMs: number, limit: number): boolean {
  if (!last) return true;
  return last.series * Math.max(1, spanMs / last.spanMs) > limit / 2;
}
