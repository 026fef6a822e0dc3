// One time series' points in columnar form: the unit that is fetched, encoded and restored.

import type { IntValue, ValueKind } from './point-value.js';

export type Tags = Record<string, string>;

export interface Series {
  tags: Tags;
  /** Millisecond timestamps, ascending. */
  timestamps: number[];
  /** KIND_INT or KIND_FLOAT per point. */
  kinds: ValueKind[];
  /** Integer values (number or bigint) or float values (number), per point. */
  values: IntValue[];
}

/** Canonical text of a tag set, for sorting and identifying series (keys sorted). */
export function seriesKey(metric: string, tags: Tags): string {
  const keys = Object.keys(tags).sort();
  return `${metric}{${keys.map((k) => `${k}=${tags[k]}`).join(',')}}`;
}

export function sortTags(tags: Tags): Tags {
  const out: Tags = {};
  for (const k of Object.keys(tags).sort()) out[k] = tags[k]!;
  return out;
}
