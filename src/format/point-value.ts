// How a data point's value is held in memory without losing anything OpenTSDB gave us.
// An integer is a `number` when it is a safe integer and a `bigint` otherwise (OpenTSDB stores 64-bit
// longs); a float is a `number` (OpenTSDB returns 4-byte floats widened to doubles, so a double holds
// both exactly). The kind is kept separately, so 1 (integer) and 1.0 (float) stay different.

export const KIND_INT = 0;
export const KIND_FLOAT = 1;
export type ValueKind = typeof KIND_INT | typeof KIND_FLOAT;
export type IntValue = number | bigint;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TOKEN = /^-?[0-9]+$/;
const FLOAT_TOKEN = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

export class ValueTokenError extends Error {}

/** A bigint is turned back into a number when it is safe, so each integer has one representation. */
export function normalizeInt(v: bigint): IntValue {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

export function addInt(a: IntValue, b: IntValue): IntValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  return normalizeInt(BigInt(a) + BigInt(b));
}

/**
 * Classifies a JSON number token (or the quoted NaN/Infinity Jackson writes) as OpenTSDB would:
 * no '.', 'e' or 'E' means a 64-bit integer, anything else a float.
 */
export function parseValueToken(text: string): { kind: ValueKind; value: IntValue } {
  if (INTEGER_TOKEN.test(text)) {
    if (text.length <= 15) return { kind: KIND_INT, value: Number(text) };
    const big = BigInt(text);
    if (big < INT64_MIN || big > INT64_MAX) throw new ValueTokenError(`integer ${text} is outside the 64-bit range`);
    return { kind: KIND_INT, value: normalizeInt(big) };
  }
  if (FLOAT_TOKEN.test(text)) return { kind: KIND_FLOAT, value: Number(text) };
  if (text === 'NaN') return { kind: KIND_FLOAT, value: NaN };
  if (text === 'Infinity') return { kind: KIND_FLOAT, value: Infinity };
  if (text === '-Infinity') return { kind: KIND_FLOAT, value: -Infinity };
  throw new ValueTokenError(`'${text}' is not a number`);
}

/**
 * The token to send to /api/put so that OpenTSDB stores the same kind: integers without a dot,
 * floats always with a '.' or an exponent (JSON.stringify(1.0) would be "1", an integer).
 * Any double's shortest round-trip form parses back to the same double in Java, and a double that came
 * from a 4-byte float passes OpenTSDB's float round-trip check, so it is stored as a 4-byte float again.
 */
export function formatValueToken(kind: ValueKind, value: IntValue): string {
  if (kind === KIND_INT) return String(value);
  const x = value as number;
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0.0';
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}
