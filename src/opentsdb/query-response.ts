// Parses /api/query?arrays answers straight into columns, without losing a bit: number tokens are
// classified from their text as 64-bit integers or doubles (parseValueToken), and points never become
// intermediate objects. A generic tree (as JSON libraries build) costs about three times the body in
// memory per point; this parser holds the body and the columns only. Fields other than `dps` are read
// generically and validated by schema.

import * as v from '../validation/schema.js';
import { KIND_FLOAT, KIND_INT, parseValueToken, type IntValue, type ValueKind } from '../format/point-value.js';
import { setOwn, type Series } from '../format/series.js';
import { TsdResponseInvalidError } from './errors.js';

const seriesHeader = v.object({
  metric: v.string(),
  tags: v.record(v.string()),
  aggregateTags: v.array(v.string()).optional(),
  tsuids: v.array(v.string()).optional(),
});

/** An annotation as the TSD answers it (Annotation.java); times as stored: seconds up to 2^32 - 1, else ms. */
export interface TsdAnnotation {
  tsuid: string;
  startTime: number;
  endTime: number;
  description: string;
  notes: string;
  custom?: Record<string, string>;
}

/** An annotation time in ms: OpenTSDB reads one above 2^32 - 1 as ms, else as seconds (Const.SECOND_MASK). */
export function annotationMs(t: number): number {
  return t > 0xffffffff ? t : t * 1000;
}

const annotationList = v.array(
  v.object({
    tsuid: v.string().nullish(),
    startTime: v.number().int().positive(),
    endTime: v.number().int().nonnegative().nullish(),
    description: v.string().nullish(),
    notes: v.string().nullish(),
    custom: v.record(v.string()).nullish(),
  }),
);

export interface QueriedSeries extends Series {
  metric: string;
  /** The annotations the TSD attached to this series in the queried range (absent: none). */
  annotations?: TsdAnnotation[];
  /** Annotations without a series, answered with every series when asked for (`globalAnnotations`). */
  globalAnnotations?: TsdAnnotation[];
  /** With `showTSUIDs`: the TSUIDs of the series the answer is made of. */
  tsuids?: string[];
}

/** Number tokens (kept as text by the parser) as numbers: annotation times are below 2^53. */
function plainNumbers(v: unknown): unknown {
  if (v instanceof NumberToken) return Number(v.text);
  if (Array.isArray(v)) return v.map(plainNumbers);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainNumbers(x)]));
  return v;
}

function readAnnotations(cur: Cursor, url: string, where: string): TsdAnnotation[] {
  const r = annotationList.safeParse(plainNumbers(cur.value()));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new TsdResponseInvalidError(url, `${where}: field '${issue?.path.join('.')}' ${issue?.message}`);
  }
  return r.data.map((a) => ({
    tsuid: a.tsuid ?? '',
    startTime: a.startTime,
    endTime: a.endTime ?? 0,
    description: a.description ?? '',
    notes: a.notes ?? '',
    ...(a.custom && Object.keys(a.custom).length > 0 ? { custom: a.custom } : {}),
  }));
}

class SyntaxFault extends Error {}

/** A number token's text, kept apart from strings. */
class NumberToken {
  constructor(readonly text: string) {}
}

/** Characters of a JSON number token: digits, sign, point, exponent. */
function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;
}

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new SyntaxFault(`${what} at character ${this.pos}`);
  }

  skipSpace(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++this.pos);
  }

  /** Consumes `ch` after optional whitespace. */
  expect(ch: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== ch) this.fail(`expected '${ch}'`);
    this.pos++;
  }

  /** Consumes `ch` if it is next (after whitespace). */
  accept(ch: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] !== ch) return false;
    this.pos++;
    return true;
  }

  string(): string {
    this.skipSpace();
    const t = this.text;
    if (t[this.pos] !== '"') this.fail('expected a string');
    const start = this.pos;
    let escaped = false;
    for (let i = start + 1; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 92) {
        escaped = true;
        i++;
      } else if (c === 34) {
        this.pos = i + 1;
        // V8 makes a slice of 13 characters or more a view that keeps the whole answer alive for as long as
        // the string is held (a TSUID, a long tag value): a window of 50,000 series held its 27 MB of
        // answers that way. JSON.parse makes a string of its own (and shares the short ones it has seen);
        // measured no slower.
        return JSON.parse(t.slice(start, i + 1)) as string;
      }
    }
    return this.fail('unterminated string');
  }

  numberText(): string {
    this.skipSpace();
    const t = this.text;
    const start = this.pos;
    while (this.pos < t.length && isNumberChar(t.charCodeAt(this.pos))) this.pos++;
    if (this.pos === start) this.fail('expected a number');
    return t.slice(start, this.pos);
  }

  /** Any JSON value; numbers become NumberToken so their text is kept. */
  value(): unknown {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '"') return this.string();
    if (c === '{') {
      this.pos++;
      const obj: Record<string, unknown> = {};
      if (this.accept('}')) return obj;
      do {
        const key = this.string();
        this.expect(':');
        setOwn(obj, key, this.value());
      } while (this.accept(','));
      this.expect('}');
      return obj;
    }
    if (c === '[') {
      this.pos++;
      const arr: unknown[] = [];
      if (this.accept(']')) return arr;
      do arr.push(this.value());
      while (this.accept(','));
      this.expect(']');
      return arr;
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    return new NumberToken(this.numberText());
  }
}

/** Digits of a timestamp: OpenTSDB writes them as plain non-negative integers. */
const MAX_TIMESTAMP_DIGITS = 16;
/** Integers of up to 15 digits are below 2^53: accumulated digit by digit, they are exact. */
const MAX_FAST_INT_DIGITS = 15;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * The `dps` array, read character by character: this is where a backup spends its parsing time (one
 * [timestamp, value] pair per point). Timestamps and integers of up to 15 digits are accumulated as they
 * are scanned; anything else (floats, longer integers, quoted NaN and infinities) goes through
 * parseValueToken, which classifies the token's text as OpenTSDB would.
 */
function readPoints(cur: Cursor, where: () => string): { timestamps: number[]; kinds: ValueKind[]; values: IntValue[] } {
  const timestamps: number[] = [];
  const kinds: ValueKind[] = [];
  const values: IntValue[] = [];
  const t = cur.text;
  cur.expect('[');
  if (cur.accept(']')) return { timestamps, kinds, values };
  let pos = cur.pos;
  const fail = (what: string): never => {
    cur.pos = pos;
    return cur.fail(what);
  };
  for (;;) {
    let c = t.charCodeAt(pos);
    while (isSpace(c)) c = t.charCodeAt(++pos);
    if (c !== 91) fail(`expected '['`);
    c = t.charCodeAt(++pos);
    while (isSpace(c)) c = t.charCodeAt(++pos);
    const tsStart = pos;
    let ts = 0;
    while (c >= 48 && c <= 57) {
      ts = ts * 10 + (c - 48);
      c = t.charCodeAt(++pos);
    }
    if (pos === tsStart || pos - tsStart > MAX_TIMESTAMP_DIGITS || isNumberChar(c) || !Number.isSafeInteger(ts)) {
      cur.pos = tsStart;
      const text = isNumberChar(t.charCodeAt(tsStart)) ? cur.numberText() : t.slice(tsStart, tsStart + 20);
      throw new SyntaxFault(`${where()}: bad timestamp ${text}`);
    }
    while (isSpace(c)) c = t.charCodeAt(++pos);
    if (c !== 44) fail(`expected ','`);
    c = t.charCodeAt(++pos);
    while (isSpace(c)) c = t.charCodeAt(++pos);
    const valueStart = pos;
    let kind: ValueKind | undefined;
    let value: IntValue = 0;
    if (c !== 34) {
      const negative = c === 45;
      if (negative) c = t.charCodeAt(++pos);
      const digitsStart = pos;
      let n = 0;
      while (c >= 48 && c <= 57) {
        n = n * 10 + (c - 48);
        c = t.charCodeAt(++pos);
      }
      const digits = pos - digitsStart;
      if (!isNumberChar(c) && digits > 0 && digits <= MAX_FAST_INT_DIGITS) {
        kind = KIND_INT;
        value = negative ? -n : n;
      } else if (digits > 0 && (c === 46 || c === 101 || c === 69)) {
        // A float as Jackson writes it: digits, an optional fraction, an optional exponent. Number() of
        // its text is the correctly rounded double, as parseValueToken would give.
        if (c === 46) {
          c = t.charCodeAt(++pos);
          while (c >= 48 && c <= 57) c = t.charCodeAt(++pos);
        }
        let wellFormed = true;
        if (c === 101 || c === 69) {
          c = t.charCodeAt(++pos);
          if (c === 43 || c === 45) c = t.charCodeAt(++pos);
          const expStart = pos;
          while (c >= 48 && c <= 57) c = t.charCodeAt(++pos);
          wellFormed = pos > expStart;
        }
        if (wellFormed && !isNumberChar(c)) {
          kind = KIND_FLOAT;
          value = Number(t.slice(valueStart, pos));
        }
      }
      if (kind === undefined) while (isNumberChar(c)) c = t.charCodeAt(++pos);
    }
    if (kind === undefined) {
      cur.pos = valueStart;
      // Jackson quotes NaN and infinities; everything else is a bare number token.
      const token = c === 34 && pos === valueStart ? cur.string() : cur.numberText();
      pos = cur.pos;
      let parsed;
      try {
        parsed = parseValueToken(token);
      } catch (err) {
        throw new SyntaxFault(`${where()} at ${ts}: ${(err as Error).message}`);
      }
      kind = parsed.kind;
      value = parsed.value;
      c = t.charCodeAt(pos);
    }
    while (isSpace(c)) c = t.charCodeAt(++pos);
    if (c !== 93) fail(`expected ']'`);
    timestamps.push(ts);
    kinds.push(kind);
    values.push(value);
    c = t.charCodeAt(++pos);
    while (isSpace(c)) c = t.charCodeAt(++pos);
    if (c === 44) {
      pos++;
      continue;
    }
    if (c !== 93) fail(`expected ']'`);
    cur.pos = pos + 1;
    // Arrays grown point by point keep spare room: copies of their exact length hold a window of short
    // series (50,000 of 20 points) in 27 MB less.
    return { timestamps: timestamps.slice(), kinds: kinds.slice(), values: values.slice() };
  }
}

function readSeries(cur: Cursor, index: number, url: string, raw: boolean): QueriedSeries {
  const header: Record<string, unknown> = {};
  let points: ReturnType<typeof readPoints> | undefined;
  const notes: Pick<QueriedSeries, 'annotations' | 'globalAnnotations'> = {};
  cur.expect('{');
  if (!cur.accept('}')) {
    do {
      const key = cur.string();
      cur.expect(':');
      if (key === 'dps') {
        cur.skipSpace();
        if (cur.text[cur.pos] !== '[') throw new TsdResponseInvalidError(url, `series ${index}: dps is not an array (was ?arrays lost?)`);
        points = readPoints(cur, () => `series ${index} (${String(header.metric ?? '?')})`);
      } else if (key === 'annotations' || key === 'globalAnnotations') {
        const list = readAnnotations(cur, url, `series ${index} ${key}`);
        if (list.length > 0) notes[key] = list;
      } else header[key] = cur.value();
    } while (cur.accept(','));
    cur.expect('}');
  }
  const head = seriesHeader.safeParse(header);
  if (!head.success) {
    const issue = head.error.issues[0];
    throw new TsdResponseInvalidError(url, `series ${index}: field '${issue?.path.join('.')}' ${issue?.message}`);
  }
  const { metric, tags, aggregateTags, tsuids } = head.data;
  if (raw && aggregateTags && aggregateTags.length > 0) {
    throw new TsdResponseInvalidError(url, `series ${index} of ${metric} aggregates tags ${aggregateTags.join(',')}: not raw data`);
  }
  if (!points) throw new TsdResponseInvalidError(url, `series ${index} of ${metric}: field 'dps' is missing`);
  return { metric, tags, ...points, ...notes, ...(tsuids ? { tsuids } : {}) };
}

/** `raw` (the default) refuses aggregated series: a backup must never store them as if they were raw. */
export function parseQueryResponse(text: string, url: string, opts: { raw?: boolean } = {}): QueriedSeries[] {
  const cur = new Cursor(text);
  const out: QueriedSeries[] = [];
  try {
    cur.expect('[');
    if (!cur.accept(']')) {
      do out.push(readSeries(cur, out.length, url, opts.raw ?? true));
      while (cur.accept(','));
      cur.expect(']');
    }
    cur.skipSpace();
    if (cur.pos !== text.length) cur.fail('unexpected data after the answer');
  } catch (err) {
    if (err instanceof SyntaxFault) throw new TsdResponseInvalidError(url, err.message);
    if (err instanceof SyntaxError) throw new TsdResponseInvalidError(url, `not JSON: ${err.message}`);
    throw err;
  }
  return out;
}
