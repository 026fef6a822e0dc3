// The non-negative offsets of a column while a chunk is written: doubles in a growable typed array (no
// boxing, no garbage), with the rare offset beyond 2^53 kept aside as a bigint.

import type { IntValue } from './point-value.js';

export class OffsetColumn {
  private data = new Float64Array(1024);
  private wide: Map<number, bigint> | undefined;
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  pushAny(v: IntValue): void {
    if (typeof v === 'number') return this.push(v);
    (this.wide ??= new Map()).set(this.length, v);
    this.push(0);
  }

  /** The numbers (a bigint's slot holds 0) and the bigints by index, if any. */
  view(): { numbers: Float64Array; wide: ReadonlyMap<number, bigint> | undefined } {
    return { numbers: this.data.subarray(0, this.length), wide: this.wide };
  }
}
