// Lists metric names through /api/suggest, which needs no meta table. An answer as long as `max` may be
// cut short, so the prefix is extended by one character at a time until every answer is complete.
//
// Suggest with an empty prefix scans only names whose first byte is between '!' and '}' (UniqueId
// scans up to '~', exclusive), but a non-empty prefix scans exactly the names that start with it, in
// the ISO-8859-1 bytes the TSD stores names in. So whenever the empty prefix is asked, the first
// characters it skips are asked too: U+0080..U+00FF (Latin-1 letters such as 'ü', legal in names as
// Character.isLetter) and '~' and ' ' (legal only through tsd.core.tag.allow_specialchars). That is
// 130 more suggest calls, each a short scan of the UID table (about a second in all on the test TSD, one
// after another), asked DISCOVERY_CONCURRENCY at a time.
// Control characters are never legal first characters and are not asked. Names with characters outside
// Latin-1 are stored lossily by OpenTSDB itself ('Ω' becomes '?'): see README, "Limits".
//
// A full page is the first names of the prefix in the UID table's byte order (suggest scans rows from
// the prefix on; measured on 2.4.1). So a longer prefix whose next character sorts before that of the
// page's last name holds only names the page already listed, and is not asked: for 10,000 metrics
// under one prefix this saves about half the calls. A page that is not in byte order (or has a
// character outside Latin-1, whose byte order the answer does not show) is expanded in full.

import type { TsdClient, CallOptions } from '../opentsdb/client.js';
import { runParallel } from '../parallel/run-parallel.js';
import { literalPrefix, type MetricSelection } from './metric-selection.js';

/** Suggest calls in flight for the first characters an empty prefix skips: each is a short scan. */
const DISCOVERY_CONCURRENCY = 8;

const LATIN1_HIGH = Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(0x80 + i));
/** First characters an empty suggest prefix does not scan. */
export const UNSCANNED_FIRST_CHARS = [' ', '~', ...LATIN1_HIGH];

// Characters OpenTSDB allows in names, plus what tsd.core.tag.allow_specialchars commonly adds, plus the
// Latin-1 letters (a full page of "ü..." names must be split like any other).
const NEXT_CHARS = [...'-./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz', ...'!"#$%&\'()*+,:;<=>?@[\\]^`{|}~ ', ...LATIN1_HIGH];

/**
 * For a full page in byte order: the character after `prefix` below which every name was listed (that
 * of the page's last name); undefined when the page does not show that.
 */
export function completeBelow(names: readonly string[], prefix: string): string | undefined {
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    if (!n.startsWith(prefix) || /[^\u0000-\u00ff]/.test(n)) return undefined;
    if (i > 0 && !(names[i - 1]! < n)) return undefined;
  }
  const last = names[names.length - 1];
  return last !== undefined && last.length > prefix.length ? last[prefix.length] : undefined;
}

export async function discoverMetrics(
  client: Pick<TsdClient, 'suggest'>,
  selection: MetricSelection,
  opts: CallOptions & { pageSize?: number } = {},
): Promise<string[]> {
  const pageSize = opts.pageSize ?? 10_000;
  const found = new Set<string>();
  const asked = new Set<string>();

  async function expand(prefix: string, signal = opts.signal): Promise<void> {
    if (asked.has(prefix)) return;
    asked.add(prefix);
    const names = await client.suggest('metrics', prefix, pageSize, { ...opts, signal });
    for (const n of names) found.add(n);
    if (names.length < pageSize) return;
    // A full page: the answer may be truncated. Names equal to the prefix were returned already.
    const complete = completeBelow(names, prefix);
    for (const c of NEXT_CHARS) if (complete === undefined || c >= complete) await expand(prefix + c, signal);
  }

  const prefixes = selection.all ? [''] : [...new Set(selection.patterns.map(literalPrefix))];
  // A shorter prefix covers a longer one.
  const roots = prefixes.filter((p) => !prefixes.some((q) => q !== p && p.startsWith(q)));
  for (const p of roots) {
    await expand(p);
    if (p === '') await runParallel(UNSCANNED_FIRST_CHARS, { concurrency: DISCOVERY_CONCURRENCY, signal: opts.signal }, (c, ctx) => expand(c, ctx.signal));
  }
  for (const name of selection.exact) found.add(name);
  return [...found].filter((n) => selection.matches(n)).sort();
}
