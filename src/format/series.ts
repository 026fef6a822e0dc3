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
  for (const k of Object.keys(tags).sort()) setOwn(out, k, tags[k]!);
  return out;
}

/**
 * Adds a property as data. `__proto__` is a legal OpenTSDB tag key (2.4.1 stores and answers it), and
 * assigning it to a plain object sets the object's prototype or does nothing, never adds the tag: a series
 * with it was merged with its sibling without it. Every map of tags built key by key goes through here.
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
