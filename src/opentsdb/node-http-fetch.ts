// The fetch of the TSD client for its ordinary requests: node:http and node:https under a fetch-shaped
// function (fetch's status and body reader, fetch's 'fetch failed' TypeError with the network error as
// its cause), so the client, its error handling and its tests do not change. undici's fetch runs the
// whole WHATWG fetch algorithm per request (~2.5 ms of CPU each, and ~100 ms to load); a backup asks
// the TSD hundreds of small questions (metric discovery alone sends ~130 /api/suggest requests), so it
// was most of the CPU of a no-op incremental (issue 12). No Response and no web stream is made either:
// the first Response loads Node's own bundled undici (and http2).
//
// What this transport does not do itself, it hands to `fallback` (undici's fetch): a request that asks
// for compressed answers (--compressed-responses, or an Accept-Encoding of the operator: fetch
// decompresses them) and an answer that redirects (fetch follows it).
//
// A TLS alert (e.g. a proxy that wants a client certificate) arrives here as the request's error, with
// its ERR_SSL_ code: nothing is lost, unlike undici's "other side closed".

import http from 'node:http';
import { createRequire } from 'node:module';
import type { BodyReader, Fetch, FetchedAnswer } from './http.js';
import type { TlsMaterial } from './tls-fetch.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Statuses without a body (as fetch answers them: body null). */
const NULL_BODY = new Set([204, 205, 304]);

function wantsIdentity(headers: Record<string, string>): boolean {
  return Object.entries(headers).some(([k, v]) => k.toLowerCase() === 'accept-encoding' && v.trim().toLowerCase() === 'identity');
}

/** The answer's body as http.ts reads it, straight from Node's stream: no web stream, no Response. */
function bodyOf(res: http.IncomingMessage): FetchedAnswer['body'] {
  const chunks = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const reader: BodyReader = {
    read: async () => {
      const r = await chunks.next();
      return r.done ? { done: true } : { done: false, value: r.value };
    },
    cancel: async () => {
      await chunks.return?.();
      res.destroy();
    },
  };
  return { getReader: () => reader };
}

// node:https (and node:tls under it) is loaded for the first https:// request only: ~6 ms of start-up CPU a
// TSD over plain HTTP need not pay (issue 12).
let httpsModule: typeof import('node:https') | undefined;
const https = (): typeof import('node:https') => (httpsModule ??= createRequire(import.meta.url)('node:https') as typeof import('node:https'));

export function createNodeHttpFetch(tls: TlsMaterial, fallback: Fetch): Fetch {
  // Keep-alive as undici's Agent does: one connection per TSD reused by the next request.
  const httpAgent = new http.Agent({ keepAlive: true });
  let httpsAgent: import('node:https').Agent | undefined;
  const agentFor = (protocol: 'http:' | 'https:'): http.Agent =>
    protocol === 'http:' ? httpAgent : (httpsAgent ??= new (https().Agent)({ keepAlive: true, ca: tls.ca, cert: tls.cert, key: tls.key }));

  const send = (
    url: URL,
    init: RequestInit,
    headers: Record<string, string>,
    body: Buffer | undefined,
    retryReused: boolean,
  ): Promise<FetchedAnswer | undefined> =>
    new Promise((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason);
      const protocol = url.protocol as 'http:' | 'https:';
      const req = (protocol === 'https:' ? https() : http).request(url, { method: init.method ?? 'GET', headers, agent: agentFor(protocol) });
      const onAbort = (): void => void req.destroy(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      // Once the answer began, the server has the request: an error now is a failed request, never resent.
      let answered = false;
      // `on`, not `once`: a second error of a request already failed must not become an uncaught one.
      req.on('error', (err: Error) => {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) return reject(signal.reason);
        // A kept-alive connection the server closed just as it was reused: the request never reached it.
        if (retryReused && !answered && req.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') {
          send(url, init, headers, body, false).then(resolve, reject);
          return;
        }
        reject(new TypeError('fetch failed', { cause: err }));
      });
      req.once('response', (res) => {
        answered = true;
        const status = res.statusCode ?? 0;
        res.on('error', () => undefined); // reported through the body stream, or of no interest once drained
        if (REDIRECTS.has(status) || status < 200 || status > 599) {
          res.resume();
          signal?.removeEventListener('abort', onAbort);
          return resolve(undefined);
        }
        res.once('close', () => signal?.removeEventListener('abort', onAbort));
        if (NULL_BODY.has(status)) {
          res.resume();
          return resolve({ status, body: null });
        }
        resolve({ status, body: bodyOf(res) });
      });
      req.end(body);
    });

  return async (input, init) => {
    const url = new URL(input);
    const headers = { ...(init.headers as Record<string, string> | undefined) };
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !wantsIdentity(headers) || url.username || url.password) return fallback(input, init);
    const raw = init.body as string | Uint8Array | null | undefined;
    const body =
      raw === undefined || raw === null
        ? undefined
        : typeof raw === 'string'
          ? Buffer.from(raw, 'utf8')
          : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (body) headers['content-length'] = String(body.length);
    else if (init.method === 'POST') headers['content-length'] = '0';
    const res = await send(url, init, headers, body, true);
    return res ?? fallback(input, init);
  };
}
