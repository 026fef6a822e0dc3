// A kept-alive connection that resets AFTER the answer's headers arrived (mid-body) is a failed request, not
// one that never reached the server: it must not be sent again behind the caller's back (a put would land
// twice, and a failure of that hidden copy would be an unhandled rejection that kills the process).

import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { httpRequest } from '../../src/opentsdb/http.js';
import { TsdUnreachableError } from '../../src/opentsdb/errors.js';
import { createTlsFetch } from '../../src/opentsdb/tls-fetch.js';

it('a reset in the middle of a body on a reused socket fails the request and sends no second one', async () => {
  const requests: string[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): void => void unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  const server = net.createServer((sock) => {
    let n = 0;
    sock.on('data', (d) => {
      requests.push(d.toString().split('\r\n')[0]!);
      n++;
      if (n === 1) sock.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=5\r\n\r\nok');
      else {
        // From now on nobody listens: a hidden second attempt would be refused.
        server.close();
        sock.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n[1,');
        setTimeout(() => sock.resetAndDestroy(), 20);
      }
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const opts = { fetch: createTlsFetch({}), timeoutMs: 3000, headers: { 'accept-encoding': 'identity' } };
    await httpRequest(opts, { method: 'GET', url: `${base}/a` });
    const e = await httpRequest(opts, { method: 'POST', url: `${base}/api/put`, body: '[{"x":1}]' }).catch((x: unknown) => x);
    await new Promise((r) => setTimeout(r, 300));
    expect(e).toBeInstanceOf(TsdUnreachableError);
    expect(requests).toEqual(['GET /a HTTP/1.1', 'POST /api/put HTTP/1.1']);
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
