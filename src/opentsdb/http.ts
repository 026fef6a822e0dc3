// One HTTP exchange with a TSD: timeout, abort, a cap on the body size, and errors turned into types.

import { InterruptedError, UsageError } from '../errors.js';
import { TsdHttpError, TsdResponseTooLargeError, TsdUnreachableError } from './errors.js';
import { describeTlsFailure } from './tls-failure.js';

/** What http.ts reads of a body: a web stream's reader has it, and so has node-http-fetch.ts's lighter one. */
export interface BodyReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<unknown>;
}

/** What http.ts reads of an answer: its status and its body. A fetch Response is one. */
export interface FetchedAnswer {
  status: number;
  body: { getReader(): BodyReader } | null;
}

/** A fetch, as far as the TSD client uses one: globalThis.fetch, undici's, or node-http-fetch.ts's. */
export type Fetch = (input: string, init: RequestInit) => Promise<FetchedAnswer>;

/** The HTTP client itself could not be loaded (a broken install): a fault of this machine, never "the TSD is unreachable". */
export class HttpClientUnavailableError extends Error {}

export interface HttpOptions {
  fetch?: Fetch;
  /** Per request, from sending to the last byte of the body. */
  timeoutMs: number;
  headers?: Record<string, string>;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: Uint8Array | string;
  headers?: Record<string, string>;
  maxBytes?: number;
  signal?: AbortSignal;
  /** Error statuses whose body the caller reads itself (e.g. 400 with put details). */
  allowStatus?: readonly number[];
}

export interface HttpResponse {
  status: number;
  text: string;
  bytes: number;
}

function netCodeOf(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return 'UNKNOWN';
}

function describeNet(err: unknown, code: string, url: string): string {
  const tls = describeTlsFailure(new URL(url).origin, code);
  if (tls) return tls;
  const cause = (err as { cause?: Error }).cause;
  return cause?.message ? `${cause.message}` : `${(err as Error).message} (${code})`;
}

async function readCapped(res: FetchedAnswer, url: string, maxBytes: number): Promise<{ text: string; bytes: number }> {
  if (!res.body) return { text: '', bytes: 0 };
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done || !value) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TsdResponseTooLargeError(url, maxBytes);
    }
    parts.push(value);
  }
  return { text: Buffer.concat(parts, total).toString('utf8'), bytes: total };
}

/** Some TSD messages carry whole internal structures (e.g. "Got Infinity" prints every cell of a span: 100 KB). */
const MAX_MESSAGE = 500;

function shorten(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}... (${message.length - MAX_MESSAGE} more characters)` : message;
}

/** Extracts OpenTSDB's `{"error":{"message":...}}` text, or a short piece of the body. */
export function errorMessageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown; details?: unknown } };
    const msg = parsed.error?.message;
    if (typeof msg === 'string') {
      const details = parsed.error?.details;
      return shorten(typeof details === 'string' && details && details !== msg ? `${msg} (${details})` : msg);
    }
  } catch {
    // not JSON: fall through
  }
  // Netty's refusals (e.g. "Chunked request not supported.") come as HTML pages: keep the reason.
  const reason = /<blockquote>([\s\S]*?)<\/blockquote>/i.exec(text);
  if (reason) return reason[1]!.replace(/<[^>]+>/g, '').trim();
  const flat = text
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}...` : flat || '(empty body)';
}

export async function httpRequest(opts: HttpOptions, req: HttpRequest): Promise<HttpResponse> {
  const fetchFn = opts.fetch ?? globalThis.fetch;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  try {
    const res = await fetchFn(req.url, {
      method: req.method,
      body: req.body,
      headers: { ...opts.headers, ...req.headers },
      signal,
    });
    const { text, bytes } = await readCapped(res, req.url, req.maxBytes ?? 64 * 1024 * 1024);
    if (res.status >= 400 && !req.allowStatus?.includes(res.status)) throw new TsdHttpError(req.url, res.status, errorMessageOf(text));
    return { status: res.status, text, bytes };
  } catch (err) {
    if (err instanceof TsdHttpError || err instanceof TsdResponseTooLargeError || err instanceof HttpClientUnavailableError) throw err;
    if (req.signal?.aborted) throw new InterruptedError('interrupted', { cause: req.signal.reason });
    if (timeout.aborted) {
      throw new TsdUnreachableError(req.url, 'TIMEOUT', `no complete answer within ${opts.timeoutMs} ms`, { cause: err });
    }
    // fetch refuses a request it cannot send (a header value it will not carry) with a TypeError
    // that quotes the value, often a credential: that is a bad request, never quoted, not a dead TSD.
    if (err instanceof TypeError && (err as { cause?: unknown }).cause === undefined) {
      throw new UsageError(`cannot send a request to ${req.url}: fetch refused it (a header name or value HTTP does not allow); the value is not shown`);
    }
    const code = netCodeOf(err);
    throw new TsdUnreachableError(req.url, code, describeNet(err, code, req.url), { cause: err });
  }
}
