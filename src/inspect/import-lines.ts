// `tsdb import` text (net.opentsdb.tools.TextImporter, OpenTSDB 2.4): `metric timestamp value tagk=tagv ...`,
// one point per line. What the importer reads (checked in its 2.4.1 source):
// - the line is split on single spaces and read by BufferedReader.readLine, so no name may hold ' ', '\n'
//   or '\r'; a tag is split on '=', so tag keys and values may not hold '=';
// - a timestamp is seconds unless it is above 2^32-1 (then milliseconds, at most 13 digits), and must be > 0;
// - a value without '.', 'e' or 'E' is parsed as a 64-bit integer, anything else by Float.parseFloat:
//   every float becomes a 4-byte float (the importer's loss); NaN and Infinity cannot be written at all
//   (they have no '.', so it tries them as integers and fails), nor can a double beyond the 4-byte float range
//   (about 3.4e38: Float.parseFloat gives Infinity, which addPoint rejects, and the import stops);
// - each series' timestamps must strictly increase through the whole file (else it stops).

import { formatValueToken, KIND_INT, type IntValue, type ValueKind } from '../format/point-value.js';
import type { Series, Tags } from '../format/series.js';
import { inIntervals, type Interval } from '../repository/time-intervals.js';
import { UnrepresentableError } from './export-errors.js';

const SECONDS_LIMIT = 0xffffffff;
const MAX_MS = 9_999_999_999_999;
const BAD_NAME = /[ \n\r]/;

function checkName(what: string, name: string, metric: string, tags: Tags, alsoEquals: boolean): void {
  if (name === '' || BAD_NAME.test(name) || (alsoEquals && name.includes('='))) {
    throw new UnrepresentableError(
      `${what} ${JSON.stringify(name)} of ${metric} ${JSON.stringify(tags)} cannot be written as \`tsdb import\` text (it is empty or holds a space, line break${alsoEquals ? " or '='" : ''})`,
    );
  }
}

/** `metric` and ` k=v ...` for a series, after checking that the importer reads them back as they are. */
function seriesParts(metric: string, tags: Tags): { metric: string; tags: string } {
  checkName('metric', metric, metric, tags, false);
  let text = '';
  for (const [k, v] of Object.entries(tags)) {
    checkName('tag key', k, metric, tags, true);
    checkName('tag value', v, metric, tags, true);
    text += ` ${k}=${v}`;
  }
  return { metric, tags: text };
}

/** The timestamp as the importer reads it: whole seconds as seconds (as restore writes them), else milliseconds. */
export function importTimestamp(ts: number): string | undefined {
  if (ts % 1000 === 0 && ts > 0 && ts / 1000 <= SECONDS_LIMIT) return String(ts / 1000);
  if (ts > SECONDS_LIMIT && ts <= MAX_MS) return String(ts);
  return undefined;
}

/** Why the importer cannot store this float (it keeps 4-byte floats only), or undefined when it can. */
export function unimportableFloat(value: number): string | undefined {
  const f = Math.fround(value);
  if (!Number.isFinite(f)) return `value ${String(value)} is not a finite 4-byte float, which is all the importer stores (it would stop there)`;
  if (f === 0 && value !== 0) return `value ${String(value)} is too small for a 4-byte float: the importer would store 0`;
  return undefined;
}

/** The value token: integers in decimal, floats in their shortest round-trip form with a '.' or exponent. */
export function importValue(kind: ValueKind, value: IntValue): string | undefined {
  if (kind !== KIND_INT && unimportableFloat(value as number) !== undefined) return undefined;
  return formatValueToken(kind, value);
}

/** The lines of every point of `series` inside `intervals`, each ending in '\n'. */
export function* importLines(metric: string, series: readonly Series[], intervals: readonly Interval[]): Generator<string> {
  for (const s of series) {
    const parts = seriesParts(metric, s.tags);
    for (let i = 0; i < s.timestamps.length; i++) {
      const ts = s.timestamps[i]!;
      if (!inIntervals(ts, intervals)) continue;
      const time = importTimestamp(ts);
      const value = importValue(s.kinds[i]!, s.values[i]!);
      if (time === undefined || value === undefined) {
        const why =
          time === undefined ? `timestamp ${ts} (ms) cannot be told apart from seconds or is not positive` : unimportableFloat(s.values[i] as number)!;
        throw new UnrepresentableError(`the point of ${metric} ${JSON.stringify(s.tags)} at ${ts} cannot be written as \`tsdb import\` text: ${why}`);
      }
      yield `${parts.metric} ${time} ${value}${parts.tags}\n`;
    }
  }
}
