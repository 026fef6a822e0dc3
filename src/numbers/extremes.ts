// The largest or smallest of many numbers. Math.max(...xs) passes every element as an argument and
// throws "Maximum call stack size exceeded" past about 125,000 of them (Node 20): a metric with that
// many chunks, or a cluster with that many metrics, is not unusual.

/** The largest value, or `empty` when there is none. */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let out = -Infinity;
  let any = false;
  for (const v of values) {
    any = true;
    if (v > out || Number.isNaN(v)) out = v;
  }
  return any ? out : empty;
}

/** The smallest value, or `empty` when there is none. */
export function minOf(values: Iterable<number>, empty = Infinity): number {
  let out = Infinity;
  let any = false;
  for (const v of values) {
    any = true;
    if (v < out || Number.isNaN(v)) out = v;
  }
  return any ? out : empty;
}
