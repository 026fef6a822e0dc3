// When a window holds too many series for one answer (OpenTSDB 2.4 fails past ~16k series, and bodies
// must stay bounded), the series are partitioned by the values of one tag key, using regexp filters on
// leading characters: first by character class, then by single characters, then one character deeper.
// A regexp filter excludes series that lack the tag key, so the TSD's own point count for the whole
// window is compared with what the partitions returned: a shortfall fails the backup instead of
// dropping those series.

import { javaRegexLiteral, regexpFilter, type TagFilter } from '../opentsdb/tag-filter.js';

const CLASSES = ['0-9', 'A-Z', 'a-f', 'g-m', 'n-s', 't-z'];
const OTHER = '^0-9A-Za-z';

export interface SeriesPartition {
  tagk: string;
  /** Literal prefix every value in the partition has. */
  prefix: string;
  /** Character class of the next character ('' = the value equals the prefix exactly). */
  charClass: string;
}

function quote(literal: string): string {
  return literal ? javaRegexLiteral(literal) : '';
}

export function partitionFilter(p: SeriesPartition): TagFilter {
  if (p.charClass === '') return regexpFilter(p.tagk, `^${quote(p.prefix)}$`);
  return regexpFilter(p.tagk, `^${quote(p.prefix)}[${p.charClass}]`);
}

/** The first partitions of a tag key: one per character class and the rest. */
export function initialPartitions(tagk: string): SeriesPartition[] {
  return [...CLASSES, OTHER].map((charClass) => ({ tagk, prefix: '', charClass }));
}

/** Finer partitions of a partition that is still too large, or undefined when it cannot be refined. */
export function refinePartition(p: SeriesPartition): SeriesPartition[] | undefined {
  if (p.charClass === '' || p.charClass === OTHER) return undefined;
  const range = /^(.)-(.)$/.exec(p.charClass);
  const chars: string[] = [];
  if (range) for (let c = range[1]!.charCodeAt(0); c <= range[2]!.charCodeAt(0); c++) chars.push(String.fromCharCode(c));
  else chars.push(p.charClass);
  if (chars.length > 1) return chars.map((c) => ({ ...p, charClass: c }));
  const prefix = p.prefix + chars[0]!;
  return [{ tagk: p.tagk, prefix, charClass: '' }, ...[...CLASSES, OTHER].map((charClass) => ({ tagk: p.tagk, prefix, charClass }))];
}

/** The tag key that best spreads the sampled series: present in all of them, most distinct values. */
export function chooseSplitKey(samples: ReadonlyArray<Record<string, string>>, exclude: ReadonlySet<string>): string | undefined {
  const values = new Map<string, Set<string>>();
  const present = new Map<string, number>();
  for (const tags of samples) {
    for (const [k, v] of Object.entries(tags)) {
      if (exclude.has(k)) continue;
      present.set(k, (present.get(k) ?? 0) + 1);
      let set = values.get(k);
      if (!set) values.set(k, (set = new Set()));
      set.add(v);
    }
  }
  let best: string | undefined;
  let bestScore = -1;
  for (const [k, set] of values) {
    const score = (present.get(k) === samples.length ? 1_000_000 : 0) + set.size;
    if (score > bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return best;
}
