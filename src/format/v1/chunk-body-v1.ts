// Reader of chunk format version 1's columns (docs/FORMAT.md appendix A): each column series by series.
// tsdb-backup no longer writes version 1; repositories made before 0.x hold such chunks.

import type { ByteReader } from '../byte-reader.js';
import type { SeriesHead } from '../chunk-header.js';
import { readKinds } from '../kind-column.js';
import { KIND_INT } from '../point-value.js';
import type { Series } from '../series.js';
import { joinValues } from '../split-values.js';
import { readFloatsV1 } from './float-column.js';
import { readIntegersV1 } from './int-column.js';
import { readTimestampsV1 } from './timestamp-column.js';

export function readBodyV1(r: ByteReader, heads: readonly SeriesHead[]): Series[] {
  const timestamps = heads.map((h) => readTimestampsV1(r, h.points));
  const kinds = heads.map((h) => readKinds(r, h.points));
  const intCounts = kinds.map((ks) => ks.filter((k) => k === KIND_INT).length);
  const ints = heads.map((_, i) => readIntegersV1(r, intCounts[i]!));
  const floats = heads.map((h, i) => readFloatsV1(r, h.points - intCounts[i]!));
  return heads.map((h, i) => ({ tags: h.tags, timestamps: timestamps[i]!, kinds: kinds[i]!, values: joinValues(kinds[i]!, ints[i]!, floats[i]!) }));
}
