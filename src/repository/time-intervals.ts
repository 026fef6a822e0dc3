// Inclusive millisecond intervals: what a backup covers, what a restore writes.

export interface Interval {
  start: number;
  end: number;
}

/** `base` minus every interval of `cuts`, in time order (empty when nothing is left). */
export function subtractIntervals(base: Interval, cuts: readonly Interval[]): Interval[] {
  let left: Interval[] = base.start <= base.end ? [base] : [];
  for (const cut of cuts) {
    const next: Interval[] = [];
    for (const piece of left) {
      if (cut.end < piece.start || cut.start > piece.end) {
        next.push(piece);
        continue;
      }
      if (cut.start > piece.start) next.push({ start: piece.start, end: cut.start - 1 });
      if (cut.end < piece.end) next.push({ start: cut.end + 1, end: piece.end });
    }
    left = next;
  }
  return left.sort((a, b) => a.start - b.start);
}

/** The parts of `intervals` inside `bounds`. */
export function clipIntervals(intervals: readonly Interval[], bounds: Interval): Interval[] {
  const out: Interval[] = [];
  for (const i of intervals) {
    const start = Math.max(i.start, bounds.start);
    const end = Math.min(i.end, bounds.end);
    if (start <= end) out.push({ start, end });
  }
  return out;
}

export function inIntervals(t: number, intervals: readonly Interval[]): boolean {
  for (const i of intervals) if (t >= i.start && t <= i.end) return true;
  return false;
}
