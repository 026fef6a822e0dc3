// A series keeps its values in one array with a kind per point; the chunk stores integers and floats in
// separate columns. These split and join the two views.

import { KIND_INT, type IntValue, type ValueKind } from './point-value.js';
import type { Series } from './series.js';

export function splitValues(s: Series): { ints: IntValue[]; floats: number[] } {
  const ints: IntValue[] = [];
  const floats: number[] = [];
  for (let i = 0; i < s.values.length; i++) {
    if (s.kinds[i] === KIND_INT) ints.push(s.values[i]!);
    else floats.push(s.values[i] as number);
  }
  return { ints, floats };
}

export function joinValues(kinds: readonly ValueKind[], ints: readonly IntValue[], floats: readonly number[]): IntValue[] {
  const values = new Array<IntValue>(kinds.length);
  let ii = 0;
  let fi = 0;
  for (let p = 0; p < kinds.length; p++) values[p] = kinds[p] === KIND_INT ? ints[ii++]! : floats[fi++]!;
  return values;
}
