// An HTTP proxy in front of a TSD that breaks some requests on purpose: a flaky network or load
// balancer for tests against the real OpenTSDB (the fake TSD has its own `faults` option).

import http from 'node:http';
import type { Socket } from 'node:net';

export type ProxyFault = 'reset' | { status: number } | undefined;

export interface FlakyProxy {
  url: string;
  /** `queries`: the requests to /api/query (data reads and counts) among `requests`. */
  stats: { requests: number; queries: number; faults: number };
  close(): Promise<void>;
}

/** `fault` sees each request (path and body) and says how to break it, or undefined to pass it on. */
export async function startFlakyProxy(target: string, fault: (req: { path: string; body: string }) => ProxyFault): Promise<FlakyProxy> {
  const up = new URL(target);
  const stats = { requests: 0, queries: 0, faults: 0 };
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      stats.requests++;
      if ((req.url ?? '').startsWith('/api/query')) stats.queries++;
      const f = fault({ path: req.url ?? '/', body: body.toString('utf8') });
      if (f === 'reset') {
        stats.faults++;
        (req.socket as Socket & { resetAndDestroy(): void }).resetAndDestroy();
        return;
      }
      if (f) {
        stats.faults++;
        res.writeHead(f.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: f.status, message: 'injected by the flaky proxy' } }));
        return;
      }
      const forward = http.request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      forward.on('error', () => req.socket.destroy());
      forward.end(body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A deterministic random source, so that a failing run can be repeated. */
export function seededRandom(seed: number): () => number {
  // mulberry32: 32-bit integer arithmetic throughout (a float LCG loses its low bits and degenerates)
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
