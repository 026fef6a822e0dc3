import { describe, expect, it } from 'vitest';
import { watchPrimary } from '../../src/replicate/primary-watch.js';

describe('watchPrimary', () => {
  it('declares the primary down after failAfter failed checks in a row, once, and up again when it answers', async () => {
    // ok, fail, ok (a blip: not down), fail x4 (down once), ok (up), then stop.
    const script = [true, false, true, false, false, false, false, true];
    let i = 0;
    let t = 0;
    const events: string[] = [];
    const stop = new AbortController();
    await watchPrimary({
      check: async () => {
        if (i >= script.length) stop.abort();
        const ok = script[i++] ?? true;
        return ok ? { ok: true } : { ok: false, reason: `refused ${i}` };
      },
      everyMs: 10_000,
      failAfter: 3,
      now: () => new Date(t),
      sleep: async (ms) => void (t += ms),
      signal: stop.signal,
      onDown: async (reason, since) => void events.push(`down ${reason} since ${since.getTime()}`),
      onUp: (ms) => void events.push(`up after ${ms}`),
    });
    expect(events).toEqual(['down refused 6 since 30000', 'up after 40000']);
  });

  it('a check that throws counts as failed', async () => {
    const stop = new AbortController();
    let n = 0;
    const downs: string[] = [];
    await watchPrimary({
      check: async () => {
        if (++n > 2) stop.abort();
        throw new Error('boom');
      },
      everyMs: 1,
      failAfter: 2,
      now: () => new Date(0),
      sleep: async () => undefined,
      signal: stop.signal,
      onDown: async (reason) => void downs.push(reason),
      onUp: () => undefined,
    });
    expect(downs).toEqual(['boom']);
  });
});
