/**
 * Tag value filters (net.opentsdb.query.filter.*, 2.4.1) and how TsdbQuery applies them:
 * - every filter's tag key becomes a row-key requirement (findGroupBys puts it in
 *   row_key_literals), so series lacking a filtered key never match, whatever the filter type
 *   (this includes not_literal_or and not_key);
 * - case-sensitive literal_or values are resolved to UIDs first (unknown value ->
 *   "No such name for 'tagv'" unless tsd.query.skip_unresolved_tagvs) and matched in the row key;
 *   several literal_or filters on one key are OR-ed together there;
 * - the other filters match after the scan and are AND-ed;
 * - wildcard matching has the original's quirk: components are searched with
 *   idx += component.length (not the match position), and without a leading or trailing '*'
 *   nothing anchors the ends.
 */
import { IllegalArgument } from './errors.js';

export interface TagVFilter {
  type: string;
  tagk: string;
  filter: string;
  groupBy: boolean;
  /** matches the series' tags (post-scan semantics) */
  match(tags: ReadonlyMap<string, string>): boolean;
  /** for case-sensitive literal_or: the literal values */
  literals?: Set<string>;
  /** false for filters fully handled in the row key */
  postScan: boolean;
}

/** Java String.split(regex) semantics for a single char: trailing empty strings removed. */
export function javaSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 1 && parts[0] === '' && s === '') return [''];
  return parts;
}

function requireFilter(filter: string | null): string {
  if (filter === null || filter === '') throw new IllegalArgument('Filter cannot be null or empty');
  return filter;
}

function literalOr(tagk: string, filterIn: string | null, ci: boolean, negate: boolean, type: string): TagVFilter {
  const filter = requireFilter(filterIn);
  if (filter === '|') throw new IllegalArgument('Filter must contain more than just a pipe');
  const literals = new Set(javaSplit(filter, '|').map((x) => (ci ? x.toLowerCase() : x)));
  const f: TagVFilter = {
    type,
    tagk,
    filter,
    groupBy: false,
    postScan: true,
    match(tags) {
      const v = tags.get(tagk);
      if (v === undefined) return negate;
      const hit = literals.has(ci ? v.toLowerCase() : v);
      return negate ? !hit : hit;
    },
  };
  if (!ci && !negate) f.literals = literals;
  return f;
}

function wildcard(tagk: string, filterIn: string | null, ci: boolean, type: string): TagVFilter {
  const filter = requireFilter(filterIn);
  let actual = ci ? filter.toLowerCase() : filter;
  if (!actual.includes('*')) throw new IllegalArgument('Filter must contain an asterisk');
  let hasPostfix = false;
  let hasPrefix = false;
  if (actual[0] === '*') {
    hasPostfix = true;
    while (actual[0] === '*') {
      if (actual.length < 2) break;
      actual = actual.slice(1);
    }
  }
  if (actual[actual.length - 1] === '*') {
    hasPrefix = true;
    while (actual[actual.length - 1] === '*') {
      if (actual.length < 2) break;
      actual = actual.slice(0, -1);
    }
  }
  const components = actual.indexOf('*') > 0 ? actual.split('*') : [actual];
  const matchAll = components.length === 1 && components[0] === '*';
  return {
    type,
    tagk,
    filter,
    groupBy: false,
    postScan: !matchAll,
    match(tags) {
      let v = tags.get(tagk);
      if (v === undefined) return false;
      if (matchAll) return true;
      if (ci) v = v.toLowerCase();
      if (hasPostfix && !hasPrefix && !v.endsWith(components[components.length - 1]!)) return false;
      if (hasPrefix && !hasPostfix && !v.startsWith(components[0]!)) return false;
      let idx = 0;
      for (const c of components) {
        if (v.indexOf(c, idx) < 0) return false;
        idx += c.length;
      }
      return true;
    },
  };
}

function regexp(tagk: string, filterIn: string | null): TagVFilter {
  const filter = requireFilter(filterIn);
  let re: RegExp;
  try {
    re = new RegExp(filter, 'u');
  } catch (e) {
    throw new IllegalArgument((e as Error).message);
  }
  return {
    type: 'regexp',
    tagk,
    filter,
    groupBy: false,
    postScan: true,
    match(tags) {
      const v = tags.get(tagk);
      return v !== undefined && re.test(v);
    },
  };
}

function notKey(tagk: string, filter: string | null): TagVFilter {
  if (filter !== null && filter.length > 0) throw new IllegalArgument('The filter must be empty for the not_key filter');
  return { type: 'not_key', tagk, filter: '', groupBy: false, postScan: true, match: (tags) => !tags.has(tagk) };
}

/** TagVFilter.Builder.build(): {type, tagk, filter, groupBy}. */
export function buildFilter(type: string | null, tagk: string | null, filter: string | null, groupBy: boolean): TagVFilter {
  if (type === null || type === '') throw new IllegalArgument('The filter type cannot be null or empty');
  if (tagk === null || tagk === '') throw new IllegalArgument('The tagk cannot be null or empty');
  let f: TagVFilter;
  switch (type) {
    case 'literal_or':
      f = literalOr(tagk, filter, false, false, type);
      break;
    case 'iliteral_or':
      f = literalOr(tagk, filter, true, false, type);
      break;
    case 'not_literal_or':
      f = literalOr(tagk, filter, false, true, type);
      break;
    case 'not_iliteral_or':
      f = literalOr(tagk, filter, true, true, type);
      break;
    case 'wildcard':
      f = wildcard(tagk, filter, false, type);
      break;
    case 'iwildcard':
      f = wildcard(tagk, filter, true, type);
      break;
    case 'regexp':
      f = regexp(tagk, filter);
      break;
    case 'not_key':
      f = notKey(tagk, filter);
      break;
    default:
      throw new IllegalArgument('Could not find a tag value filter of the type: ' + type);
  }
  f.groupBy = groupBy;
  return f;
}

function stripParentheses(filter: string): string {
  if (filter.length === 0) throw new IllegalArgument('Filter string cannot be null or empty');
  if (filter[filter.length - 1] !== ')') throw new IllegalArgument("Filter must end with a ')': " + filter);
  const start = filter.indexOf('(');
  if (start < 0) throw new IllegalArgument("Filter must include a '(': " + filter);
  return filter.slice(start + 1, -1);
}

function sameFilter(a: TagVFilter, b: TagVFilter): boolean {
  return a.type === b.type && a.tagk === b.tagk && a.filter === b.filter;
}

/**
 * TagVFilter.mapToFilters / tagsToFilters: the legacy "tags" map of a sub-query (or the m= braces).
 * "*" -> iwildcard-like match-all, "x(...)" -> typed filter, anything with '*' -> case-insensitive
 * wildcard, otherwise literal_or ("a|b" = either).
 */
export function mapToFilters(entries: Array<[string, string]>, filters: TagVFilter[], groupBy: boolean): void {
  for (const [k, v] of entries) {
    if (!k) throw new IllegalArgument('Tagk cannot be null or empty');
    if (!v) throw new IllegalArgument('Filter cannot be null or empty');
    let f: TagVFilter;
    const paren = v.indexOf('(');
    if (v === '*') f = wildcard(k, '*', true, 'wildcard');
    else if (paren > -1) f = buildFilter(v.slice(0, paren).toLowerCase(), k, stripParentheses(v), false);
    else if (v.includes('*')) f = wildcard(k, v, true, 'wildcard');
    else f = literalOr(k, v, false, false, 'literal_or');
    if (groupBy) {
      f.groupBy = true;
      const dup = filters.find((x) => sameFilter(x, f));
      if (dup) dup.groupBy = true;
      else filters.push(f);
    } else {
      filters.push(f);
    }
  }
}
