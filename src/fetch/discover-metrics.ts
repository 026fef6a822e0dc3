// Lists metric names through /api/suggest, which needs no meta table. An answer as long as `max` may be
// cut short, so the prefix is extended by one character at a time until every answer is complete.
//
// Suggest with an empty prefix scans only names whose first byte is between '!' and '}' (UniqueId
// scans up to '~', exclusive), but a non-empty prefix scans exactly the names that start with it, in
// the ISO-8859-1 bytes the TSD stores names in. So whenever the empty prefix is asked, the first
// characters it skips are asked too: U+0080..U+00FF (Latin-1 letters such as 'ü', legal in names as
// Character.isLetter) and '~' and ' ' (legal only through tsd.core.tag.allow_specialchars). That is
// 130 more suggest calls, each a short scan of the UID table (about a second in all on the test TSD).
// Control characters are never legal first characters and are not asked. Names with characters outside
// Latin-1 are stored lossily by OpenTSDB itself ('Ω' becomes '?'): see README, "Limits".

import type { TsdClient, CallOptions } from '../opentsdb/client.js';
import { literalPrefix, type MetricSelection } from './metric-selection.js';

const LATIN1_HIGH = Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(0x80 + i));
/** First characters an empty suggest prefix does not scan. */
export const UNSCANNED_FIRST_CHARS = [' ', '~', ...LATIN1_HIGH];

// Characters OpenTSDB allows in names, plus what tsd.core.tag.allow_specialchars commonly adds, plus the
// Latin-1 letters (a full page of "ü..." names must be split like any other).
const NEXT_CHARS = [
  ...'-./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz',
  ...'!"#$%&\'()*+,:;<=>?@[\\]^`{|}~ ',
  ...LATIN1_HIGH,
];

export async function discoverMetrics(
  client: Pick<TsdClient, 'suggest'>,
  selection: MetricSelection,
  opts: CallOptions & { pageSize?: number } = {},
): Promise<string[]> {
  const pageSize = opts.pageSize ?? 10_000;
  const found = new Set<string>();
  const asked = new Set<string>();

  async function expand(prefix: string): Promise<void> {
    if (asked.has(prefix)) return;
    asked.add(prefix);
    const names = await client.suggest('metrics', prefix, pageSize, opts);
    for (const n of names) found.add(n);
    if (names.length < pageSize) return;
    // A full page: the answer may be truncated. Names equal to the prefix were returned already.
    for (const c of NEXT_CHARS) await expand(prefix + c);
  }

  const prefixes = selection.all ? [''] : [...new Set(selection.patterns.map(literalPrefix))];
  // A shorter prefix covers a longer one.
  const roots = prefixes.filter((p) => !prefixes.some((q) => q !== p && p.startsWith(q)));
  for (const p of roots) {
    await expand(p);
    if (p === '') for (const c of UNSCANNED_FIRST_CHARS) await expand(c);
  }
  for (const name of selection.exact) found.add(name);
  return [...found].filter((n) => selection.matches(n)).sort();
}
