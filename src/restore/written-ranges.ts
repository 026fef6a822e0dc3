// The points of a chunk's point stream (pointJson's order, fixed by the chunk and the restore's options)
// that the target acknowledged, as merged ranges of ordinals [from, to). Bodies finish out of order, so a
// resumed restore skips every acknowledged range, not only the acknowledged start.

export type OrdinalRange = [from: number, to: number];

export class WrittenRanges {
  private ranges: OrdinalRange[] = [];
  /** Where the last `has` looked: queries in ascending order cost O(1) each. */
  private cursor = 0;

  constructor(ranges: readonly OrdinalRange[] = []) {
    for (const [from, to] of ranges) this.add(from, to);
  }

  /** Adds [from, to), merging with the ranges it touches. */
  add(from: number, to: number): void {
    if (to <= from) return;
    const out: OrdinalRange[] = [];
    let merged: OrdinalRange = [from, to];
    let placed = false;
    for (const r of this.ranges) {
      if (r[1] < merged[0]) out.push(r);
      else if (r[0] > merged[1]) {
        if (!placed) out.push(merged);
        placed = true;
        out.push(r);
      } else merged = [Math.min(r[0], merged[0]), Math.max(r[1], merged[1])];
    }
    if (!placed) out.push(merged);
    this.ranges = out;
    this.cursor = 0;
  }

  /** Whether the ordinal is in a range; ascending queries are fastest. */
  has(ordinal: number): boolean {
    if (this.cursor > 0 && this.ranges[this.cursor - 1]![1] > ordinal) this.cursor = 0;
    while (this.cursor < this.ranges.length && this.ranges[this.cursor]![1] <= ordinal) this.cursor++;
    const r = this.ranges[this.cursor];
    return r !== undefined && r[0] <= ordinal;
  }

  /** Points in the ranges. */
  get size(): number {
    return this.ranges.reduce((n, [a, b]) => n + b - a, 0);
  }

  toJSON(): OrdinalRange[] {
    return this.ranges.map(([a, b]) => [a, b]);
  }
}
