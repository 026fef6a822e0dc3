import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { TokenBucket } from '../../src/limits/token-bucket.js';

/** A clock that moves only when something sleeps on it, so the tests take no time and always agree. */
function fakeTime(start = 1_000_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => void (now += ms),
    sleeps,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new InterruptedError('interrupted');
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('TokenBucket', () => {
  it('starts empty: the first take waits for its whole amount at the rate', async () => {
    const t = fakeTime();
    const b = new TokenBucket({ perSecond: 1000, now: t.now, sleep: t.sleep });
    await b.take(500);
    expect(t.sleeps).toEqual([500]);
  });

  it('paces consecutive takes so that the amount over the elapsed time is the rate', async () => {
    const t = fakeTime();
    const start = t.now();
    const b = new TokenBucket({ perSecond: 200, now: t.now, sleep: t.sleep });
    for (let i = 0; i < 50; i++) await b.take(40);
    // 2000 units at 200/s: exactly 10 s.
    expect(t.now() - start).toBe(10_000);
  });

  it('lets a take larger than the bucket through, and the next takes pay its debt', async () => {
    const t = fakeTime();
    const b = new TokenBucket({ perSecond: 100, burstSeconds: 1, now: t.now, sleep: t.sleep });
    await b.take(1000); // ten seconds' worth, ten times the bucket: no deadlock
    expect(t.sleeps).toEqual([10_000]);
    await b.take(50);
    expect(t.sleeps).toEqual([10_000, 500]);
  });

  it('after a pause, at most one burst goes without waiting', async () => {
    const t = fakeTime();
    const b = new TokenBucket({ perSecond: 100, burstSeconds: 1, now: t.now, sleep: t.sleep });
    await b.take(100);
    t.advance(60_000); // a minute idle: the bucket fills to its capacity, not to 6000
    await b.take(100);
    expect(t.sleeps).toEqual([1000]);
    await b.take(100);
    expect(t.sleeps).toEqual([1000, 1000]);
  });

  it('serves concurrent takers in order of arrival, each waiting for those before it', async () => {
    const t = fakeTime();
    const waits: number[] = [];
    const b = new TokenBucket({ perSecond: 10, now: t.now, sleep: async (ms) => void waits.push(ms) });
    await Promise.all([b.take(10), b.take(10), b.take(10)]);
    expect(waits).toEqual([1000, 2000, 3000]);
  });

  it('a debt under a millisecond is carried to the next take rather than slept for', async () => {
    const t = fakeTime();
    const b = new TokenBucket({ perSecond: 1_000_000, now: t.now, sleep: t.sleep });
    for (let i = 0; i < 10; i++) await b.take(500); // 0.5 ms each: a sleep only when a whole ms is owed
    expect(t.sleeps).toEqual([1, 1, 1, 1, 1]);
  });

  it('a take of nothing neither waits nor counts', async () => {
    const t = fakeTime();
    const b = new TokenBucket({ perSecond: 10, now: t.now, sleep: t.sleep });
    await b.take(0);
    expect(t.sleeps).toEqual([]);
    expect(b.stats().amount).toBe(0);
  });

  it('a cancelled signal stops a wait with InterruptedError', async () => {
    const ctl = new AbortController();
    const b = new TokenBucket({ perSecond: 1 });
    const pending = b.take(3600, ctl.signal);
    ctl.abort();
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
    await expect(b.take(1, ctl.signal)).rejects.toBeInstanceOf(InterruptedError);
  });

  it('reports the amount taken and the wall time during which someone waited', async () => {
    const t = fakeTime();
    const b = new TokenBucket({ perSecond: 100, now: t.now, sleep: async () => undefined });
    await Promise.all([b.take(100), b.take(100)]); // both wait; together until +2 s
    t.advance(5000);
    await b.take(50); // bucket full after the pause: no wait
    // The fake sleep does not move the clock: the last take was let through at +5 s.
    expect(b.stats()).toEqual({ perSecond: 100, amount: 250, throttledMs: 2000, since: 1_000_000, until: 1_005_000 });
  });

  it('many waiters on one signal share one abort listener, and an abort ends every wait', async () => {
    const ctl = new AbortController();
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const b = new TokenBucket({ perSecond: 10 });
      const waits = Array.from({ length: 50 }, () =>
        b.take(10, ctl.signal).then(
          () => 'done',
          (e: unknown) => e,
        ),
      );
      await new Promise((r) => setTimeout(r, 20));
      ctl.abort();
      const outcomes = await Promise.all(waits);
      expect(outcomes.every((o) => o instanceof InterruptedError)).toBe(true);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('refuses a rate that is not a positive finite number', () => {
    for (const perSecond of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new TokenBucket({ perSecond })).toThrow(RangeError);
    }
  });
});
