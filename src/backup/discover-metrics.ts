// Lists metric names through /api/suggest, which needs no meta table. An answer as long as `max` may be
// cut short, so the prefix is extended by one character at a time until every answer is complete.
// Suggest only scans names whose first byte is between '!' and '}'; names outside that (a non-ASCII
// first letter) can only be backed up by naming them exactly.

import type { TsdClient, CallOptions } from '../opentsdb/client.js';
import { literalPrefix, type MetricSelection } from './metric-selection.js';

// Characters OpenTSDB allows in names, plus what tsd.core.tag.allow_specialchars commonly adds.
const NEXT_CHARS = [...'-./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz', ...'!"#$%&\'()*+,:;<=>?@[\\]^`{|}~'];

export async function discoverMetrics(
  client: Pick<TsdClient, 'suggest'>,
  selection: MetricSelection,
  opts: CallOptions & { pageSize?: number } = {},
): Promise<string[]> {
  const pageSize = opts.pageSize ?? 10_000;
  const found = new Set<string>();

  async function expand(prefix: string): Promise<void> {
    const names = await client.suggest('metrics', prefix, pageSize, opts);
    for (const n of names) found.add(n);
    if (names.length < pageSize) return;
    // A full page: the answer may be truncated. Names equal to the prefix were returned already.
    for (const c of NEXT_CHARS) await expand(prefix + c);
  }

  const prefixes = selection.all ? [''] : [...new Set(selection.patterns.map(literalPrefix))];
  // A shorter prefix covers a longer one.
  const roots = prefixes.filter((p) => !prefixes.some((q) => q !== p && p.startsWith(q)));
  for (const p of roots) await expand(p);
  for (const name of selection.exact) found.add(name);
  return [...found].filter((n) => selection.matches(n)).sort();
}
