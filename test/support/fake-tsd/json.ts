/**
 * JSON as the real TSD's Jackson 2.9 (with ALLOW_NON_NUMERIC_NUMBERS, as net.opentsdb.utils.JSON
 * configures it) reads and writes it:
 * - lossless: number tokens keep their text ("1.0" stays "1.0", 2^63-1 stays exact);
 * - NaN / Infinity / -Infinity / +Infinity / +INF / -INF are accepted as number tokens;
 * - duplicate object keys: the last value wins; trailing content after the root value is ignored
 *   (ObjectMapper.readValue in 2.9 does not check for trailing tokens);
 * - scalars coerce to Java String fields ("value": 42 becomes "42"), as Jackson's StringDeserializer does.
 */

export class JNumber {
  constructor(readonly text: string) {}
}

export class JObject {
  readonly map = new Map<string, JValue>();
  get(key: string): JValue | undefined {
    return this.map.get(key);
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
}

export type JValue = null | boolean | string | JNumber | JValue[] | JObject;

/** Thrown for malformed JSON or a value Jackson could not bind (JsonParseException / JsonMappingException). */
export class JsonBindError extends Error {
  constructor(
    message: string,
    readonly javaClass = 'com.fasterxml.jackson.core.JsonParseException',
  ) {
    super(message);
  }
  /** What `new IllegalArgumentException(e).getMessage()` shows: "<class>: <message>". */
  get javaText(): string {
    return `${this.javaClass}: ${this.message}`;
  }
}

const NON_NUMERIC = ['NaN', 'Infinity', '+Infinity', '-Infinity', '+INF', '-INF'];

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  fail(msg: string): never {
    throw new JsonBindError(`${msg}\n at [Source: (String)"${this.src.slice(0, 500)}"; line: 1, column: ${this.pos + 1}]`);
  }

  ws(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  value(): JValue {
    this.ws();
    const s = this.src;
    if (this.pos >= s.length) this.fail('Unexpected end-of-input');
    const c = s[this.pos]!;
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || c === '+' || (c >= '0' && c <= '9') || c === 'N' || c === 'I') return this.number();
    if (s.startsWith('true', this.pos)) {
      this.pos += 4;
      return true;
    }
    if (s.startsWith('false', this.pos)) {
      this.pos += 5;
      return false;
    }
    if (s.startsWith('null', this.pos)) {
      this.pos += 4;
      return null;
    }
    return this.fail(
      `Unexpected character ('${c}' (code ${c.charCodeAt(0)})): expected a valid value (number, String, array, object, 'true', 'false' or 'null')`,
    );
  }

  object(): JObject {
    const o = new JObject();
    this.pos++;
    this.ws();
    if (this.src[this.pos] === '}') {
      this.pos++;
      return o;
    }
    for (;;) {
      this.ws();
      if (this.src[this.pos] !== '"') this.fail(`Unexpected character ('${this.src[this.pos] ?? ''}'): was expecting double-quote to start field name`);
      const key = this.string();
      this.ws();
      if (this.src[this.pos] !== ':') this.fail(`Unexpected character ('${this.src[this.pos] ?? ''}'): was expecting a colon to separate field name and value`);
      this.pos++;
      const v = this.value();
      o.map.set(key, v);
      this.ws();
      const c = this.src[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '}') {
        this.pos++;
        return o;
      }
      this.fail(`Unexpected character ('${c ?? ''}'): was expecting comma to separate Object entries`);
    }
  }

  array(): JValue[] {
    const a: JValue[] = [];
    this.pos++;
    this.ws();
    if (this.src[this.pos] === ']') {
      this.pos++;
      return a;
    }
    for (;;) {
      a.push(this.value());
      this.ws();
      const c = this.src[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return a;
      }
      this.fail(`Unexpected character ('${c ?? ''}'): was expecting comma to separate Array entries`);
    }
  }

  string(): string {
    const s = this.src;
    this.pos++;
    let out = '';
    let start = this.pos;
    for (;;) {
      if (this.pos >= s.length) this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
      const ch = s.charCodeAt(this.pos);
      if (ch === 34) {
        out += s.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (ch < 32) this.fail(`Illegal unquoted character ((CTRL-CHAR, code ${ch})): has to be escaped using backslash to be included in string value`);
      if (ch === 92) {
        out += s.slice(start, this.pos);
        const e = s[this.pos + 1];
        this.pos += 2;
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = s.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Unexpected character: expected a hex-digit for character escape sequence');
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          default:
            this.fail(`Unrecognized character escape '${e ?? ''}'`);
        }
        start = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  number(): JNumber {
    const s = this.src;
    for (const t of NON_NUMERIC) {
      if (s.startsWith(t, this.pos)) {
        this.pos += t.length;
        return new JNumber(t);
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(this.pos, this.pos + 400));
    if (!m) this.fail(`Unexpected character ('${s[this.pos]}'): expected a valid value`);
    const after = s[this.pos + m[0].length];
    if (after !== undefined && /[0-9.eE]/.test(after)) {
      if (m[1] === '0' && /[0-9]/.test(after)) this.fail('Invalid numeric value: Leading zeroes not allowed');
      this.fail('Unexpected character in numeric value');
    }
    this.pos += m[0].length;
    return new JNumber(m[0]);
  }
}

/** Parses like Jackson's ObjectMapper.readValue (root value only; trailing content ignored). */
export function parseJson(src: string): JValue {
  const p = new Parser(src);
  return p.value();
}

// ---------------------------------------------------------------------------
// Jackson coercions to the Java field types the TSD binds
// ---------------------------------------------------------------------------

export function kindOf(v: JValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'Boolean';
  if (typeof v === 'string') return 'String';
  if (v instanceof JNumber) return 'Number';
  if (Array.isArray(v)) return 'Array';
  return 'Object';
}

function mismatch(type: string, v: JValue, field: string): never {
  throw new JsonBindError(
    `Cannot deserialize instance of \`${type}\` out of ${kindOf(v) === 'Array' ? 'START_ARRAY' : kindOf(v) === 'Object' ? 'START_OBJECT' : kindOf(v)} token (through reference chain: ${field})`,
    'com.fasterxml.jackson.databind.exc.MismatchedInputException',
  );
}

/** Java String field (StringDeserializer): scalars become their text, null stays null. */
export function asJavaString(v: JValue | undefined, field: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (v instanceof JNumber) return v.text;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return mismatch('java.lang.String', v, field);
}

const LONG_MIN = -(1n << 63n);
const LONG_MAX = (1n << 63n) - 1n;

/** Java primitive long field. */
export function asJavaLong(v: JValue | undefined, field: string): bigint {
  if (v === undefined || v === null) return 0n;
  if (v instanceof JNumber) {
    if (/^-?\d+$/.test(v.text)) {
      const b = BigInt(v.text);
      if (b < LONG_MIN || b > LONG_MAX) {
        throw new JsonBindError(
          `Numeric value (${v.text}) out of range of long (-9223372036854775808 - 9223372036854775807)`,
          'com.fasterxml.jackson.databind.JsonMappingException',
        );
      }
      return b;
    }
    const d = Number(v.text);
    if (Number.isNaN(d)) return 0n;
    if (d >= 9.223372036854776e18) return LONG_MAX;
    if (d <= -9.223372036854776e18) return LONG_MIN;
    return BigInt(Math.trunc(d));
  }
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '' || t === 'null') return 0n;
    if (/^[+-]?\d+$/.test(t)) {
      const b = BigInt(t);
      if (b >= LONG_MIN && b <= LONG_MAX) return b;
    }
    throw new JsonBindError(
      `Cannot deserialize value of type \`long\` from String "${v}": not a valid Long value (through reference chain: ${field})`,
      'com.fasterxml.jackson.databind.exc.InvalidFormatException',
    );
  }
  return mismatch('long', v, field);
}

/** Java primitive int field. */
export function asJavaInt(v: JValue | undefined, field: string): number {
  const b = asJavaLong(v, field);
  if (b < -2147483648n || b > 2147483647n) {
    throw new JsonBindError(`Numeric value (${b}) out of range of int`, 'com.fasterxml.jackson.databind.JsonMappingException');
  }
  return Number(b);
}

/** Java primitive boolean field. */
export function asJavaBoolean(v: JValue | undefined, field: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (v instanceof JNumber && /^-?\d+$/.test(v.text)) return BigInt(v.text) !== 0n;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === 'true' || t === 'True') return true;
    if (t === 'false' || t === 'False' || t === '' || t === 'null') return false;
    throw new JsonBindError(
      `Cannot deserialize value of type \`boolean\` from String "${v}": only "true" or "false" recognized (through reference chain: ${field})`,
      'com.fasterxml.jackson.databind.exc.InvalidFormatException',
    );
  }
  return mismatch('boolean', v, field);
}

/** Map<String,String> field: entries in JSON order (last duplicate wins, first position kept). */
export function asJavaStringMap(v: JValue | undefined, field: string): Array<[string, string | null]> | null {
  if (v === undefined || v === null) return null;
  if (!(v instanceof JObject)) return mismatch('java.util.HashMap', v, field);
  return [...v.map.entries()].map(([k, x]) => [k, asJavaString(x, `${field}["${k}"]`)]);
}

/** List<String> field. */
export function asJavaStringList(v: JValue | undefined, field: string): Array<string | null> | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) return mismatch('java.util.ArrayList', v, field);
  return v.map((x, i) => asJavaString(x, `${field}[${i}]`));
}

// ---------------------------------------------------------------------------
// Writing like Jackson
// ---------------------------------------------------------------------------

const HEX = '0123456789ABCDEF';

/** Jackson string literal: escapes '"', '\\' and control chars (\b \t \n \f \r short forms). */
export function jsonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 32 && c !== 34 && c !== 92) continue;
    out += s.slice(start, i);
    start = i + 1;
    switch (c) {
      case 34:
        out += '\\"';
        break;
      case 92:
        out += '\\\\';
        break;
      case 8:
        out += '\\b';
        break;
      case 9:
        out += '\\t';
        break;
      case 10:
        out += '\\n';
        break;
      case 12:
        out += '\\f';
        break;
      case 13:
        out += '\\r';
        break;
      default:
        out += '\\u00' + HEX[c >> 4] + HEX[c & 15];
    }
  }
  return out + s.slice(start) + '"';
}

/** Raw JSON text, emitted verbatim by {@link writeJson}. */
export class RawJson {
  constructor(readonly text: string) {}
}

export type Writable =
  null | boolean | string | number | bigint | RawJson | Writable[] | ReadonlyArray<readonly [string, Writable]> | { [k: string]: Writable };

/**
 * Serialises a value; objects given as arrays of [key, value] pairs keep that key order (used to
 * reproduce Java HashMap iteration order). Plain JS objects keep insertion order. numbers must be
 * integral (doubles are passed pre-formatted as RawJson).
 */
export function writeJson(v: Writable): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error('writeJson: non-integral number, pass RawJson');
    return String(v);
  }
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof RawJson) return v.text;
  if (Array.isArray(v)) {
    if (isPairList(v)) {
      return '{' + (v as Array<[string, Writable]>).map(([k, x]) => jsonString(k) + ':' + writeJson(x)).join(',') + '}';
    }
    return '[' + (v as Writable[]).map(writeJson).join(',') + ']';
  }
  const o = v as { [k: string]: Writable };
  return (
    '{' +
    Object.keys(o)
      .map((k) => jsonString(k) + ':' + writeJson(o[k]!))
      .join(',') +
    '}'
  );
}

const PAIRS = Symbol('pairs');

/** Marks an array of [key, value] pairs as an object for {@link writeJson}. */
export function pairs(entries: Array<[string, Writable]>): ReadonlyArray<readonly [string, Writable]> {
  (entries as unknown as Record<symbol, boolean>)[PAIRS] = true;
  return entries;
}

function isPairList(v: readonly unknown[]): boolean {
  return (v as unknown as Record<symbol, boolean>)[PAIRS] === true;
}
