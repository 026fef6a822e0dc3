// The TSD client's own transport (node:http under a fetch-shaped function): what it sends, what it hands
// to the full fetch, and how its failures look to http.ts (as fetch's would).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fetch, FetchedAnswer } from '../../src/opentsdb/http.js';
import { createNodeHttpFetch } from '../../src/opentsdb/node-http-fetch.js';
import { closedPort } from '../support/closed-port.js';

async function textOf(answer: FetchedAnswer): Promise<string> {
  if (!answer.body) return '';
  const reader = answer.body.getReader();
  const parts: Uint8Array[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value!);
  return Buffer.concat(parts).toString('utf8');
}

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('the node:http fetch of the TSD client', () => {
  let server: http.Server;
  let base = '';
  const seen: Seen[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        if (req.url === '/moved') return void res.writeHead(307, { location: '/api/version' }).end();
        if (req.url === '/empty') return void res.writeHead(204).end();
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 5_000).unref();
        res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ got: body }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const fallbackCalls: string[] = [];
  const fallback = (async (input: Parameters<Fetch>[0]) => {
    fallbackCalls.push(String(input));
    return new Response('from the fallback', { status: 200 });
  }) as Fetch;
  const identity = { 'accept-encoding': 'identity' };

  it('sends method, headers and body (with a Content-Length, never chunked) and returns the status and the body', async () => {
    const f = createNodeHttpFetch({}, fallback);
    const res = await f(`${base}/api/query`, { method: 'POST', headers: { ...identity, 'content-type': 'application/json' }, body: '{"q":"é"}' });
    expect(res.status).toBe(200);
    expect(JSON.parse(await textOf(res))).toEqual({ got: '{"q":"é"}' });
    const req = seen.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', url: '/api/query' });
    expect(req.headers['content-length']).toBe(String(Buffer.byteLength('{"q":"é"}')));
    expect(req.headers['transfer-encoding']).toBeUndefined();
    const bytes = await f(`${base}/api/put`, { method: 'POST', headers: identity, body: new TextEncoder().encode('abc').subarray(1) });
    expect(JSON.parse(await textOf(bytes))).toEqual({ got: 'bc' });
  });

  it('returns error statuses and bodiless answers as they are', async () => {
    const f = createNodeHttpFetch({}, fallback);
    const missing = await f(`${base}/missing`, { headers: identity });
    expect(missing.status).toBe(404);
    expect(await textOf(missing)).toContain('got');
    const empty = await f(`${base}/empty`, { headers: identity });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('hands what fetch does itself to the fallback: compressed answers and redirects', async () => {
    const f = createNodeHttpFetch({}, fallback);
    fallbackCalls.length = 0;
    expect(await textOf(await f(`${base}/api/version`, { headers: {} }))).toBe('from the fallback');
    expect(await textOf(await f(`${base}/api/version`, { headers: { 'accept-encoding': 'gzip' } }))).toBe('from the fallback');
    expect(await textOf(await f(`${base}/moved`, { headers: identity }))).toBe('from the fallback');
    expect(fallbackCalls).toEqual([`${base}/api/version`, `${base}/api/version`, `${base}/moved`]);
  });

  it("fails as fetch does: a 'fetch failed' TypeError whose cause carries the network code", async () => {
    const f = createNodeHttpFetch({}, fallback);
    const err = await f(`http://127.0.0.1:${await closedPort()}/api/version`, { headers: identity }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe('fetch failed');
    expect(((err as Error).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('rejects with the reason of the signal that stopped it', async () => {
    const f = createNodeHttpFetch({}, fallback);
    const reason = new Error('stop');
    const aborted = AbortSignal.abort(reason);
    await expect(f(`${base}/api/version`, { headers: identity, signal: aborted })).rejects.toBe(reason);
    const controller = new AbortController();
    const pending = f(`${base}/slow`, { headers: identity, signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });
});
