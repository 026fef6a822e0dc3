import { describe, expect, it } from 'vitest';
import type { RateLimiter } from '../../src/limits/token-bucket.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import type { Fetch } from '../../src/opentsdb/http.js';

/** A fetch that answers from a list, logging each request's body size. */
function scriptedFetch(log: string[], answers: Array<{ status: number; body: string }>): Fetch {
  return async (_url, init) => {
    const body = init.body as string | Uint8Array | undefined;
    log.push(`send ${body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength}`);
    const a = answers.shift()!;
    const bytes = Buffer.from(a.body);
    let done = false;
    return {
      status: a.status,
      body: {
        getReader: () => ({ read: async () => (done ? { done: true } : ((done = true), { done: false, value: bytes })), cancel: async () => undefined }),
      },
    };
  };
}

function recorder(log: string[], name: string): RateLimiter {
  return { take: async (n) => void log.push(`${name} ${n}`) };
}

const NO_BACKOFF = { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 };

describe('TsdClient limits', () => {
  it('a raw query charges the bytes sent and received, then the points of the answer', async () => {
    const log: string[] = [];
    const answer = JSON.stringify([
      {
        metric: 'm',
        tags: { h: 'a' },
        aggregateTags: [],
        dps: [
          [1_700_000_000_000, 1],
          [1_700_000_001_000, 2],
          [1_700_000_002_000, 3],
        ],
      },
    ]);
    const client = new TsdClient({
      url: 'http://tsd:4242',
      fetch: scriptedFetch(log, [{ status: 200, body: answer }]),
      limits: { points: recorder(log, 'points'), bytes: recorder(log, 'bytes') },
    });
    const { series } = await client.queryRaw({ metric: 'm', start: 1_700_000_000_000, end: 1_700_000_002_000 });
    expect(series[0]!.timestamps).toHaveLength(3);
    const sent = Number(log[0]!.split(' ')[1]);
    expect(log).toEqual([`bytes ${sent}`, `send ${sent}`, `bytes ${Buffer.byteLength(answer)}`, 'points 3']);
  });

  it('a put charges its points once before sending, and its bytes at every attempt', async () => {
    const log: string[] = [];
    const reply = '{"success":2,"failed":0,"errors":[]}';
    const fetch = scriptedFetch(log, [
      { status: 503, body: 'busy' },
      { status: 200, body: reply },
    ]);
    const client = new TsdClient({
      url: 'http://tsd:4242',
      fetch,
      retry: NO_BACKOFF,
      limits: { points: recorder(log, 'points'), bytes: recorder(log, 'bytes') },
    });
    const body = new Uint8Array(777);
    const r = await client.put(body, { points: 2 });
    expect(r.success).toBe(2);
    // The refused attempt's answer is not counted: httpRequest throws before its size is known here.
    expect(log).toEqual(['points 2', 'bytes 777', 'send 777', 'bytes 777', 'send 777', `bytes ${Buffer.byteLength(reply)}`]);
  });

  it('without limits nothing is charged and nothing waits', async () => {
    const log: string[] = [];
    const client = new TsdClient({ url: 'http://tsd:4242', fetch: scriptedFetch(log, [{ status: 200, body: '{"version":"2.4.1"}' }]) });
    expect(await client.version()).toBe('2.4.1');
    expect(log).toEqual(['send 0']);
  });
});
