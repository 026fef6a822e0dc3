// Failures talking to a TSD, classified by status code and network error code, never by message text.

import { TsdbBackupError, type ErrorOptions } from '../errors.js';

const RETRYABLE_STATUS = new Set([408, 424, 429, 500, 502, 503, 504]);
const RETRYABLE_NET = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** The TSD answered with an error status. */
export class TsdHttpError extends TsdbBackupError {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly tsdMessage: string,
    options?: ErrorOptions,
  ) {
    super('TSD_HTTP', `${url} answered ${status}: ${tsdMessage}`, options);
  }

  get retryable(): boolean {
    return RETRYABLE_STATUS.has(this.status);
  }
}

/** The TSD could not be reached or the connection broke (refused, DNS, reset, timeout). */
export class TsdUnreachableError extends TsdbBackupError {
  constructor(
    readonly url: string,
    readonly netCode: string,
    /** What happened, without the URL, e.g. "connect ECONNREFUSED 127.0.0.1:4242". */
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super('TSD_UNREACHABLE', `cannot reach ${url}: ${detail}`, options);
  }

  get retryable(): boolean {
    return RETRYABLE_NET.has(this.netCode) || this.netCode === 'TIMEOUT';
  }
}

/** The body is larger than we allow ourselves to hold; the caller should ask for less. */
export class TsdResponseTooLargeError extends TsdbBackupError {
  constructor(
    readonly url: string,
    readonly limitBytes: number,
  ) {
    super('TSD_RESPONSE_TOO_LARGE', `${url} returned more than ${limitBytes} bytes`);
  }
}

/** The TSD answered 2xx with a body that does not have the documented shape. */
export class TsdResponseInvalidError extends TsdbBackupError {
  constructor(url: string, detail: string, options?: ErrorOptions) {
    super('TSD_RESPONSE_INVALID', `unexpected response from ${url}: ${detail}`, options);
  }
}

/**
 * OpenTSDB 2.4.1 answered a query with a nameless, empty series (`{"metric":"","tags":{},"dps":[]}`).
 * Measured: it does so for any query whose scan reaches a point stored before 1970-02-19T17:02:47Z
 * (below 2^32 ms, which TsdbQuery takes for seconds), whatever the range asked. The answer says
 * nothing true about the data, so it must never be read as "no data".
 */
export class TsdNamelessSeriesError extends TsdResponseInvalidError {
  constructor(url: string) {
    super(
      url,
      'a series without a metric name and without points, which OpenTSDB 2.4.1 answers when a query reaches points stored before 1970-02-19T17:02:47Z (times below 2^32 ms it takes for seconds)',
      {
        hint: 'such points cannot be read through the HTTP API; back up with --start 1970-02-20 or later',
      },
    );
  }
}

export function isRetryableTsdError(err: unknown): boolean {
  return (err instanceof TsdHttpError || err instanceof TsdUnreachableError) && err.retryable;
}

/**
 * Whether a query failed because the metric has no UID (never written, or deleted with `tsdb uid
 * delete`): OpenTSDB answers 400 "No such name for 'metrics'", with no code to tell it apart, so the
 * message is all there is.
 */
export function isUnknownMetric(err: unknown): boolean {
  for (let cur: unknown = err; cur; cur = (cur as { cause?: unknown }).cause) {
    if (cur instanceof TsdHttpError && cur.status === 400 && /No such name for 'metrics'/.test(cur.tsdMessage)) return true;
  }
  return false;
}

/** Whether a query failed because a name it uses (metric, tag key or tag value) has no UID on the TSD. */
export function isUnknownName(err: unknown): boolean {
  for (let cur: unknown = err; cur; cur = (cur as { cause?: unknown }).cause) {
    if (cur instanceof TsdHttpError && cur.status === 400 && /No such name for '(metrics|tagk|tagv)'/.test(cur.tsdMessage)) return true;
  }
  return false;
}

/**
 * Whether a query failed because a series holds two different values at one time: OpenTSDB then answers
 * every query that reads the row with "Duplicate timestamp" (unless tsd.storage.fix_duplicates); the
 * message is all there is.
 */
export function isDuplicateTimestamp(err: unknown): boolean {
  for (let cur: unknown = err; cur; cur = (cur as { cause?: unknown }).cause) {
    if (cur instanceof TsdHttpError && /Duplicate timestamp/.test(cur.tsdMessage)) return true;
  }
  return false;
}

// A connection that broke during the exchange (a flaky link or proxy, a TSD that dropped a large answer),
// as opposed to one that never opened (refused, unknown host): the TSD is there, a smaller or later query may pass.
const BROKEN_EXCHANGE = new Set(['TIMEOUT', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** No complete answer within the client's timeout. */
export function isTimeout(err: unknown): boolean {
  return err instanceof TsdUnreachableError && err.netCode === 'TIMEOUT';
}

export function isBrokenExchange(err: unknown): boolean {
  return err instanceof TsdUnreachableError && BROKEN_EXCHANGE.has(err.netCode);
}
