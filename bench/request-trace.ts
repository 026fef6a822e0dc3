// A logging proxy in front of a TSD for the shapes benchmark: counts each request by what it is
// (suggest, raw query, count query, series lookup, ...) and sums the time the TSD took to answer, so
// that per-metric and per-query overhead shows up as numbers rather than guesses.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TraceRow {
  kind: string;
  requests: number;
  seconds: number;
  bytes: number;
}

function kindOf(method: string, url: string, body: string): string {
  const path = url.split('?')[0]!;
  if (path === '/api/query') {
    if (body.includes('"downsample"')) return body.includes('all-count') ? 'query count (all)' : 'query count (buckets)';
    const subs = (body.match(/"metric"/g) ?? []).length;
    return subs > 1 ? `query raw (${subs} sub-queries)` : 'query raw';
  }
  return `${method} ${path}`;
}

export async function startTraceProxy(target: string): Promise<{ url: string; rows: () => TraceRow[]; reset: () => void; close: () => Promise<void> }> {
  const base = new URL(target);
  let rows = new Map<string, TraceRow>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const t0 = performance.now();
      const kind = kindOf(req.method ?? 'GET', req.url ?? '/', body.toString('utf8'));
      const up = http.request(
        { host: base.hostname, port: base.port, path: req.url, method: req.method, headers: { ...req.headers, host: base.host }, agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          let bytes = 0;
          answer.on('data', (c: Buffer) => {
            bytes += c.length;
            res.write(c);
          });
          answer.on('end', () => {
            res.end();
            const row = rows.get(kind) ?? { kind, requests: 0, seconds: 0, bytes: 0 };
            row.requests++;
            row.seconds += (performance.now() - t0) / 1000;
            row.bytes += bytes;
            rows.set(kind, row);
          });
        },
      );
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    rows: () => [...rows.values()].sort((a, b) => b.seconds - a.seconds),
    reset: () => void (rows = new Map()),
    close: () =>
      new Promise((r) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
