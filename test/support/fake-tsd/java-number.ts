/**
 * The number handling of OpenTSDB 2.4.1's write path, reproduced exactly:
 * - `Tags.looksLikeInteger(v)`: no '.', 'e' or 'E' in the text  -> `Tags.parseLong(v)` -> 64-bit int
 * - otherwise an 8-byte double over HTTP (see parsePutValue: the float branch of
 *   processDataPoint is widened to double); 4-byte float only via the telnet put command
 * - `TSDB.addPoint(..., long)` stores integers on 1, 2, 4 or 8 bytes (smallest that fits),
 *   floats with flags 0x8|0x3, doubles with flags 0x8|0x7.
 * - `TSDB.addPoint(..., float|double)` rejects NaN/Infinity: "value is NaN or Infinite: ...".
 */
import { javaDoubleToString, javaFloatToString } from './java-double.js';

/** Thrown where Java would throw NumberFormatException. */
export class JavaNumberFormatException extends Error {}

export type StoredKind = 'int' | 'float' | 'double';

export interface StoredValue {
  kind: StoredKind;
  /** int: exact value; float/double: the stored IEEE value as a JS number (float already rounded). */
  int?: bigint;
  num?: number;
}

const LONG_MIN = -(1n << 63n);
const LONG_MAX = (1n << 63n) - 1n;

/** `Tags.looksLikeInteger`: true when the text has no '.', 'e' or 'E'. */
export function looksLikeInteger(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '.' || c === 'e' || c === 'E') return false;
  }
  return true;
}

/** `Tags.parseLong`: optional sign, at most 19 digits, exact 64-bit range. */
export function tagsParseLong(s: string): bigint {
  const n = s.length;
  if (n === 0) throw new JavaNumberFormatException('Empty string');
  let i = 0;
  const c0 = s[0]!;
  if (c0 === '+' || c0 === '-') {
    if (n === 1) throw new JavaNumberFormatException('Just a sign, no value: ' + s);
    if (n > 20) throw new JavaNumberFormatException('Value too long: ' + s);
    i = 1;
  } else if (n > 19) {
    throw new JavaNumberFormatException('Value too long: ' + s);
  }
  for (let k = i; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) throw new JavaNumberFormatException(`Invalid character '${s[k]}' in ${s}`);
  }
  let v = BigInt(s.slice(i));
  if (c0 === '-') v = -v;
  if (v < LONG_MIN || v > LONG_MAX) throw new JavaNumberFormatException('Overflow in ' + s);
  return v;
}

/** Java `String.trim()`: strips chars <= U+0020 at both ends. */
export function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return s.slice(a, b);
}

const DEC_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?$/;
const HEX_RE = /^([+-])?0[xX](?:([0-9a-fA-F]+)\.?|([0-9a-fA-F]*)\.([0-9a-fA-F]+))[pP]([+-]?\d+)[fFdD]?$/;

/** Java `Double.parseDouble` (grammar of FloatingDecimal.readJavaFormatString; correctly rounded). */
export function javaParseDouble(input: string): number {
  const s = javaTrim(input);
  if (s.length === 0) throw new JavaNumberFormatException('empty String');
  const body = s[0] === '+' || s[0] === '-' ? s.slice(1) : s;
  const neg = s[0] === '-';
  if (body === 'NaN') return NaN;
  if (body === 'Infinity') return neg ? -Infinity : Infinity;
  if (DEC_RE.test(s)) {
    const t = /[fFdD]$/.test(s) ? s.slice(0, -1) : s;
    return Number(t.startsWith('+') ? t.slice(1) : t);
  }
  const h = HEX_RE.exec(s);
  if (h) {
    const intPart = h[2] ?? h[3] ?? '';
    const fracPart = h[4] ?? '';
    const mant = BigInt('0x0' + intPart + fracPart);
    const exp = Number(h[5]) - 4 * fracPart.length;
    let v = mant === 0n ? 0 : Number(mant) * 2 ** exp;
    if (!Number.isFinite(v) && mant !== 0n) v = Infinity;
    return h[1] === '-' ? -v : v;
  }
  throw new JavaNumberFormatException(`For input string: "${input}"`);
}

/** `Tags.fitsInFloat`. Throws JavaNumberFormatException like Double.parseDouble. */
export function fitsInFloat(value: string): boolean {
  const d = javaParseDouble(value);
  return Math.fround(d) === d;
}

/** Thrown where TSDB.addPoint throws IllegalArgumentException for NaN/Infinite values. */
export class NonFiniteValueError extends Error {}

/**
 * Parses a put value exactly like PutDataPointRpc + TSDB.addPoint. Throws JavaNumberFormatException
 * ("Unable to parse value to a number") or NonFiniteValueError (message is the real one).
 *
 * HTTP (/api/put, processDataPoint) writes
 *   `tsdb.addPoint(m, ts, Tags.fitsInFloat(v) ? Float.parseFloat(v) : Double.parseDouble(v), tags)`:
 * the conditional expression has type double, so the double overload is always chosen and every
 * non-integer value is stored as an 8-byte double (confirmed on a real 2.4.1: "1.5" -> flags 0x0F).
 * The telnet `put` command uses if/else and stores values that fit as 4-byte floats.
 */
export function parsePutValue(value: string, metric: string, timestamp: bigint, protocol: 'http' | 'telnet' = 'http'): StoredValue {
  if (looksLikeInteger(value)) return { kind: 'int', int: tagsParseLong(value) };
  const fits = fitsInFloat(value);
  if (fits && protocol === 'telnet') {
    const f = Math.fround(javaParseDouble(value));
    if (!Number.isFinite(f)) {
      throw new NonFiniteValueError(`value is NaN or Infinite: ${javaFloatToString(f)} for metric=${metric} timestamp=${timestamp}`);
    }
    return { kind: 'float', num: f };
  }
  const d = fits ? Math.fround(javaParseDouble(value)) : javaParseDouble(value);
  if (!Number.isFinite(d)) {
    throw new NonFiniteValueError(`value is NaN or Infinite: ${javaDoubleToString(d)} for metric=${metric} timestamp=${timestamp}`);
  }
  return { kind: 'double', num: d };
}

/** Value bytes exactly as TSDB.addPoint encodes them (big-endian). */
export function valueBytes(v: StoredValue): Uint8Array {
  if (v.kind === 'int') {
    const x = v.int!;
    let len: number;
    if (x >= -128n && x <= 127n) len = 1;
    else if (x >= -32768n && x <= 32767n) len = 2;
    else if (x >= -2147483648n && x <= 2147483647n) len = 4;
    else len = 8;
    const out = new Uint8Array(len);
    let u = BigInt.asUintN(len * 8, x);
    for (let i = len - 1; i >= 0; i--) {
      out[i] = Number(u & 0xffn);
      u >>= 8n;
    }
    return out;
  }
  if (v.kind === 'float') {
    const dv = new DataView(new ArrayBuffer(4));
    dv.setFloat32(0, v.num!);
    return new Uint8Array(dv.buffer);
  }
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v.num!);
  return new Uint8Array(dv.buffer);
}

/** Qualifier flags: low 3 bits = length-1, 0x8 = floating point. */
export function valueFlags(v: StoredValue): number {
  return v.kind === 'int' ? valueBytes(v).length - 1 : v.kind === 'float' ? 0x8 | 0x3 : 0x8 | 0x7;
}

/** Java `Arrays.toString(byte[])` (signed bytes). */
export function javaBytesToString(b: Uint8Array): string {
  return '[' + Array.from(b, (x) => (x > 127 ? x - 256 : x)).join(', ') + ']';
}

/** The JSON number text a real TSD writes for a stored value (Jackson: long, or Double.toString). */
export function storedValueText(v: StoredValue): string {
  return v.kind === 'int' ? v.int!.toString() : javaDoubleToString(v.num!);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
