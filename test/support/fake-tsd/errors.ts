/**
 * Error answers of the real TSD (HttpSerializer.formatErrorV1 / formatNotFoundV1, HttpQuery.escapeJson):
 *   {"error":{"code":400,"message":"...","details":"...","trace":"..."}}
 * "details" only when non-empty; "trace" when tsd.http.show_stack_trace=true (the default).
 * A BadRequestException built from another exception copies that exception's message into
 * both "message" and "details" (BadRequestException(Throwable)).
 */

/** net.opentsdb.tsd.BadRequestException. */
export class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details = '',
    readonly javaClass = 'net.opentsdb.tsd.BadRequestException',
  ) {
    super(message);
  }

  /** `new BadRequestException(cause)`: status 400, message and details = cause message. */
  static from(cause: { message: string }, status = 400): BadRequest {
    return new BadRequest(status, cause.message, cause.message);
  }
}

/** An exception that is not a BadRequestException: answered 500 by HttpQuery.internalError. */
export class InternalError extends Error {
  constructor(
    message: string,
    readonly javaClass = 'java.lang.RuntimeException',
  ) {
    super(message);
  }
}

/** net.opentsdb.uid.NoSuchUniqueName. */
export class NoSuchUniqueName extends Error {
  constructor(
    readonly kind: string,
    readonly uidName: string,
  ) {
    super(`No such name for '${kind}': '${uidName}'`);
  }
}

/** net.opentsdb.uid.NoSuchUniqueId. */
export class NoSuchUniqueId extends Error {
  constructor(kind: string, id: Uint8Array) {
    super(`No such unique ID for '${kind}': [${Array.from(id, (b) => (b > 127 ? b - 256 : b)).join(', ')}]`);
  }
}

/** java.lang.IllegalStateException (e.g. UID cache clashes). */
export class IllegalState extends Error {}

/** java.lang.IllegalArgumentException. */
export class IllegalArgument extends Error {}

/** net.opentsdb.core.IllegalDataException (e.g. "Duplicate timestamp for key=..."). */
export class IllegalData extends Error {}

const HEX = '0123456789ABCDEF';

/** HttpQuery.escapeJson (note: 0x1F itself is not escaped, as in the original). */
export function tsdEscapeJson(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = s.charCodeAt(i);
    switch (c) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
    }
    if (code < 0x1f) out += '\\u00' + HEX[(code >>> 4) & 15] + HEX[code & 15];
    else out += c;
  }
  return out;
}

function fakeTrace(javaClass: string, message: string): string {
  return `${javaClass}: ${message}\n\tat net.opentsdb.tsd.FakeTsd.handle(fake-tsd)\n`;
}

/** formatErrorV1(BadRequestException). */
export function formatBadRequest(e: BadRequest, showStackTrace: boolean): string {
  let out = `{"error":{"code":${e.status},"message":"${tsdEscapeJson(e.message)}"`;
  if (e.details !== '') out += `,"details":"${tsdEscapeJson(e.details)}"`;
  if (showStackTrace) out += `,"trace":"${tsdEscapeJson(fakeTrace(e.javaClass, e.message))}"`;
  return out + '}}';
}

/** formatErrorV1(Exception): always code 500, no details. */
export function formatInternalError(message: string | undefined, javaClass: string, showStackTrace: boolean): string {
  const msg = message ?? 'An unknown exception occurred';
  let out = `{"error":{"code":500,"message":"${tsdEscapeJson(msg)}"`;
  if (showStackTrace) out += `,"trace":"${tsdEscapeJson(fakeTrace(javaClass, msg))}"`;
  return out + '}}';
}

/** formatNotFoundV1 for API routes. */
export const ENDPOINT_NOT_FOUND = '{"error":{"code":404,"message":"Endpoint not found"}}';
