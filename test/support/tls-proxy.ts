// An HTTPS reverse proxy in front of an http:// TSD, with the certificates of fixtures/tls: optionally
// requiring a client certificate signed by the test CA (mutual TLS), optionally requiring one exact
// Authorization header (401 otherwise), as an authenticating proxy in front of a TSD would.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TLS_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/tls');
export const tlsFixture = (name: string): string => path.join(TLS_FIXTURES, name);

export interface TlsProxyOptions {
  /** Refuse connections without a client certificate signed by the test CA. */
  requireClientCert?: boolean;
  /** Answer 401 unless the request's Authorization header is exactly this. */
  authorization?: string;
  /** The host name in the returned URL (the certificate holds localhost and 127.0.0.1). */
  host?: string;
}

export interface TlsProxy {
  url: string;
  stats: { requests: number; unauthorized: number; authorizations: Set<string> };
  close(): Promise<void>;
}

export async function startTlsProxy(target: string, opts: TlsProxyOptions = {}): Promise<TlsProxy> {
  const up = new URL(target);
  const stats = { requests: 0, unauthorized: 0, authorizations: new Set<string>() };
  const sockets = new Set<Socket>();
  const server = https.createServer(
    {
      cert: readFileSync(tlsFixture('server.pem')),
      key: readFileSync(tlsFixture('server.key')),
      ca: readFileSync(tlsFixture('ca.pem')),
      requestCert: Boolean(opts.requireClientCert),
      rejectUnauthorized: Boolean(opts.requireClientCert),
    },
    (req, res) => {
      stats.requests++;
      const auth = req.headers.authorization;
      if (auth) stats.authorizations.add(auth);
      if (opts.authorization !== undefined && auth !== opts.authorization) {
        stats.unauthorized++;
        req.resume();
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="tsd"' });
        res.end(JSON.stringify({ error: { code: 401, message: 'authentication required' } }));
        return;
      }
      const headers = { ...req.headers, host: up.host };
      const forward = http.request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      forward.on('error', () => req.socket.destroy());
      req.pipe(forward);
    },
  );
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A refused handshake (no client certificate) is the test's point, not a failure of the proxy.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://${opts.host ?? 'localhost'}:${port}`,
    stats,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
