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

export function describeFilters(filters: readonly TagFilter[] | undefined): string {
  if (!filters || filters.length === 0) return '';
  return `{${filters.map((f) => `${f.tagk}=${f.type}(${f.filter})`).join(',')}}`;
}
