// The fetch tsdb-backup talks to TSDs with, with TLS material where given (Node 20's global fetch trusts
// only the system CAs and sends no client certificate). Ordinary requests go through node:http(s)
// (node-http-fetch.ts: a fraction of the CPU); the rest through undici's fetch, whose Agent takes the
// TLS material too.
//
// undici's fetch keeps the TLS alert a server sends after a TLS 1.3 handshake (a proxy that wants a
// client certificate): undici reports only "other side closed" for it, which would look like a flaky
// network and be retried, while the alert says exactly what is wrong.

import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { HttpClientUnavailableError, type Fetch } from './http.js';
import { createNodeHttpFetch } from './node-http-fetch.js';

export interface TlsMaterial {
  /** PEM: the CAs to trust instead of the system's. */
  ca?: string | Buffer;
  /** PEM: the client certificate (chain) and its key, for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
}

function isTlsAlert(err: unknown): err is Error {
  return typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('ERR_SSL_');
}

type UndiciFetch = typeof import('undici').fetch;

/** The TSD client's fetch: node:http(s) for the ordinary requests, undici's fetch for the rest (see node-http-fetch.ts). */
export function createTlsFetch(tls: TlsMaterial = {}): Fetch {
  return createNodeHttpFetch(tls, createUndiciFetch(tls));
}

function createUndiciFetch(tls: TlsMaterial): Fetch {
  let lastAlert: Error | undefined;
  // undici is loaded at the first request, not when the command starts (--help, --version, a repository-only command).
  let client: Promise<{ undiciFetch: UndiciFetch; dispatcher: Dispatcher }> | undefined;
  const load = async (): Promise<{ undiciFetch: UndiciFetch; dispatcher: Dispatcher }> => {
    const {
      Agent,
      buildConnector,
      fetch: undiciFetch,
    } = await import('undici').catch((err: unknown) => {
      throw new HttpClientUnavailableError(`cannot load the HTTP client (undici): ${(err as Error).message}; reinstall tsdb-backup (npm ci)`, { cause: err });
    });
    const connect = buildConnector({ ca: tls.ca, cert: tls.cert, key: tls.key });
    const dispatcher = new Agent({
      connect: (opts, callback) =>
        connect(opts, (...args) => {
          const socket = args[1] as Socket | null;
          socket?.prependListener('error', (err: unknown) => {
            if (isTlsAlert(err)) lastAlert = err;
          });
          (callback as (...a: typeof args) => void)(...args);
        }),
    });
    return { undiciFetch, dispatcher };
  };
  return (async (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
    const { undiciFetch, dispatcher } = await (client ??= load());
    const before = lastAlert;
    try {
      return await undiciFetch(input as Parameters<UndiciFetch>[0], { ...(init as Parameters<UndiciFetch>[1]), dispatcher });
    } catch (err) {
      // The alert of a connection refused during this request (any of them: the server's policy is the same for all).
      const alert = lastAlert;
      if (alert && alert !== before) throw new TypeError('fetch failed', { cause: alert });
      throw err;
    }
  }) as unknown as Fetch;
}
