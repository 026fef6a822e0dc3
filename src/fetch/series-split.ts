// When a window holds too many series for one answer (OpenTSDB 2.4.1 hangs past ~11k series:
// series-count.ts, and bodies must stay bounded), the series are partitioned by the values of one tag
// key, using regexp filters on leading characters, or on trailing ones when the sampled values vary
// more at their end (ids and counters: "w-00001", "w-00002"): first by character class, then by single
// characters, then one character further in. Each partition costs the TSD a scan of the whole window,
// so partitions that split the values evenly early save whole scans.
// A regexp filter excludes series that lack the tag key, so the TSD's own point count for the whole
// window is compared with what the partitions returned: a shortfall fails the backup instead of
// dropping those series.

import { javaRegexLiteral, regexpFilter, type TagFilter } from '../opentsdb/tag-filter.js';

const CLASSES = ['0-9', 'A-Z', 'a-f', 'g-m', 'n-s', 't-z'];
const OTHER = '^0-9A-Za-z';
// The punctuation a name may hold (OpenTSDB allows - _ . / besides letters and digits), one partition
// each, so that values like "w-00001" can be split past their separator; the rest (Unicode letters and
// characters a TSD's allow_specialchars adds) stays one partition.
const PUNCTUATION = ['-', '_', '.', '/'];
const OTHER_REST = '^0-9A-Za-z_./-';

export interface SeriesPartition {
  tagk: string;
  /** Literal prefix every value in the partition has (a suffix, with `fromEnd`). */
  prefix: string;
  /** Character class of the next character ('' = the value equals the prefix exactly). */
  charClass: string;
  /** Partition by trailing characters: `prefix` ends every value, `charClass` is the character before it. */
  fromEnd?: boolean;
  /** Sibling partitions read as one (charClass is then unused): none of them held a sampled value. */
  merged?: SeriesPartition[];
}

function quote(literal: string): string {
  return literal ? javaRegexLiteral(literal) : '';
}

/** What a partition asks of the character next to its prefix: the end of the value, or a class. */
function nextChar(p: SeriesPartition): string {
  if (p.merged) return `(?:${p.merged.map(nextChar).join('|')})`;
  if (p.charClass === '') return p.fromEnd ? '^' : '$';
  return `[${p.charClass}]`;
}

export function partitionFilter(p: SeriesPartition): TagFilter {
  if (p.fromEnd) return regexpFilter(p.tagk, `${nextChar(p)}${quote(p.prefix)}$`);
  return regexpFilter(p.tagk, `^${quote(p.prefix)}${nextChar(p)}`);
}

/**
 * Siblings that none of the sampled values falls in are read as one partition (most are empty, and
 * each partition costs a scan of the window); the others stay apart. Without any sampled value among
 * the siblings there is nothing to go by, and they stay as they are.
 */
export function mergeUnsampled(parts: SeriesPartition[], sampled: readonly string[]): SeriesPartition[] {
  const hit = parts.map((p) => {
    const re = new RegExp(partitionFilter(p).filter, 'u');
    return sampled.some((v) => re.test(v));
  });
  const empty = parts.filter((_, i) => !hit[i]);
  if (empty.length < 2 || empty.length === parts.length) return parts;
  return [...parts.filter((_, i) => hit[i]), { ...empty[0]!, charClass: '', merged: empty }];
}

/** The first partitions of a tag key: one per character class and the rest. */
export function initialPartitions(tagk: string, fromEnd = false): SeriesPartition[] {
  return [...CLASSES, OTHER].map((charClass) => ({ tagk, prefix: '', charClass, ...(fromEnd ? { fromEnd } : {}) }));
}

/**
 * Whether the sampled values of `tagk` vary more in their last character than in their first: then
 * partitions by trailing characters spread them over more partitions from the first level on.
 */
export function splitFromEnd(samples: ReadonlyArray<Record<string, string>>, tagk: string): boolean {
  const first = new Set<string>();
  const last = new Set<string>();
  for (const tags of samples) {
    const v = tags[tagk];
    if (!v) continue;
    const chars = [...v];
    first.add(chars[0]!);
    last.add(chars.at(-1)!);
  }
  return last.size > first.size;
}

/** Finer partitions of a partition that is still too large, or undefined when it cannot be refined. */
export function refinePartition(p: SeriesPartition): SeriesPartition[] | undefined {
  if (p.merged) return p.merged;
  if (p.charClass === '' || p.charClass === OTHER_REST) return undefined;
  if (p.charClass === OTHER) return [...PUNCTUATION, OTHER_REST].map((charClass) => ({ ...p, charClass }));
  const range = /^(.)-(.)$/.exec(p.charClass);
  const chars: string[] = [];
  if (range) for (let c = range[1]!.charCodeAt(0); c <= range[2]!.charCodeAt(0); c++) chars.push(String.fromCharCode(c));
  else chars.push(p.charClass);
  if (chars.length > 1) return chars.map((c) => ({ ...p, charClass: c }));
  const prefix = p.fromEnd ? chars[0]! + p.prefix : p.prefix + chars[0]!;
  return [{ tagk: p.tagk, prefix, charClass: '' }, ...initialPartitions(p.tagk, p.fromEnd).map((q) => ({ ...q, prefix }))].map((q) =>
    p.fromEnd ? { ...q, fromEnd: true } : q,
  );
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
