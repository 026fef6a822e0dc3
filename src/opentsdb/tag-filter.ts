// OpenTSDB 2.x tag filters as sent in /api/query.

export interface TagFilter {
  type: 'literal_or' | 'not_literal_or' | 'wildcard' | 'regexp';
  tagk: string;
  filter: string;
  groupBy: boolean;
}

export function regexpFilter(tagk: string, pattern: string): TagFilter {
  return { type: 'regexp', tagk, filter: pattern, groupBy: true };
}

/** Every series that has `tagk`, whatever its value (a filter never matches a series without its key). */
export function hasTagFilter(tagk: string): TagFilter {
  return { type: 'wildcard', tagk, filter: '*', groupBy: false };
}

export function describeFilters(filters: readonly TagFilter[] | undefined): string {
  if (!filters || filters.length === 0) return '';
  return `{${filters.map((f) => `${f.tagk}=${f.type}(${f.filter})`).join(',')}}`;
}

/**
 * A regexp matching exactly `literal`: every regexp syntax character backslash-escaped, a form that
 * Java (the TSD) and JavaScript read alike.
 */
export function javaRegexLiteral(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** Filters that select exactly one series (use with explicitTags). */
export function exactSeriesFilters(tags: Record<string, string>): TagFilter[] {
  return Object.keys(tags)
    .sort()
    .map((k) => regexpFilter(k, `^${javaRegexLiteral(tags[k]!)}$`));
}
