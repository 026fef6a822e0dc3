import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import type { TsdHealth, Verdict } from '../../src/health/health-result.js';
import { TransitionTracker, type Transition } from '../../src/health/transitions.js';
import { watchHealth } from '../../src/health/watch.js';

const T0 = Date.UTC(2026, 10, 1, 12);

function result(url: string, verdict: Verdict, atMs: number, reasons: string[] = verdict === 'healthy' ? [] : [`${verdict} because`]): TsdHealth {
  return { url, verdict, reasons, steps: [], version: '2.4.1', limits: null, canary: null, checkedAt: new Date(atMs).toISOString() };
}

describe('transitions', () => {
  it('the first verdict of each TSD, then only changes, with the time spent in the state left', () => {
    const t = new TransitionTracker();
    expect(t.observe([result('a', 'healthy', T0), result('b', 'down', T0)])).toEqual([
      { url: 'a', from: null, to: 'healthy', at: new Date(T0).toISOString(), previousMs: null, reasons: [] },
      { url: 'b', from: null, to: 'down', at: new Date(T0).toISOString(), previousMs: null, reasons: ['down because'] },
    ]);
    expect(t.observe([result('a', 'healthy', T0 + 30_000), result('b', 'down', T0 + 30_000, ['other reason'])])).toEqual([]);
    expect(t.observe([result('a', 'degraded', T0 + 750_000), result('b', 'down', T0 + 750_000)])).toEqual([
      { url: 'a', from: 'healthy', to: 'degraded', at: new Date(T0 + 750_000).toISOString(), previousMs: 750_000, reasons: ['degraded because'] },
    ]);
    expect(t.observe([result('a', 'healthy', T0 + 780_000), result('b', 'healthy', T0 + 780_000)]).map((x) => [x.url, x.from, x.to, x.previousMs])).toEqual([
      ['a', 'degraded', 'healthy', 30_000],
      ['b', 'down', 'healthy', 780_000],
    ]);
  });
});

/** A clock that only moves when the watch sleeps (or a check takes time). */
function fakeTime() {
  let now = T0;
  const sleeps: number[] = [];
  return {
    now: () => new Date(now),
    advance: (ms: number) => (now += ms),
    sleeps,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new InterruptedError();
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('watch', () => {
  it('checks every interval from the start of each round, reports transitions and every round, stops on the signal', async () => {
    const time = fakeTime();
    const ac = new AbortController();
    const script: Verdict[] = ['healthy', 'healthy', 'down', 'down', 'healthy'];
    const transitions: Transition[] = [];
    const rounds: string[] = [];
    let i = 0;
    const r = await watchHealth(30_000, {
      now: time.now,
      sleep: time.sleep,
      signal: ac.signal,
      check: async () => {
        const started = time.now().getTime();
        time.advance(i === 2 ? 45_000 : 2_000); // the third round is slower than the interval
        const v = script[i++]!;
        if (i === script.length) ac.abort(new Error('SIGTERM'));
        return [result('http://tsd:4242', v, started)];
      },
      onTransition: (t) => transitions.push(t),
      onRound: async (results) => void rounds.push(results[0]!.verdict),
    });
    expect(r).toEqual({ rounds: 5 });
    expect(rounds).toEqual(script);
    expect(time.sleeps).toEqual([28_000, 28_000, 0, 28_000]);
    expect(transitions.map((t) => `${t.from} -> ${t.to} after ${t.previousMs}`)).toEqual(['null -> healthy after null', 'healthy -> down after 60000', 'down -> healthy after 75000']);
  });

  it('a stop during a check drops that round and ends cleanly', async () => {
    const time = fakeTime();
    const ac = new AbortController();
    const rounds: number[] = [];
    let n = 0;
    const r = await watchHealth(10_000, {
      now: time.now,
      sleep: time.sleep,
      signal: ac.signal,
      check: async () => {
        if (++n === 3) {
          ac.abort(new Error('SIGINT'));
          throw new InterruptedError();
        }
        return [result('a', 'healthy', time.now().getTime())];
      },
      onTransition: () => undefined,
      onRound: async () => void rounds.push(n),
    });
    expect(r).toEqual({ rounds: 2 });
    expect(rounds).toEqual([1, 2]);
  });

  it('a stop during the pause ends it at once (the real sleep rejects on the signal)', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(new Error('SIGTERM')), 50);
    const r = await watchHealth(60_000, { now: () => new Date(), signal: ac.signal, check: async () => [result('a', 'healthy', Date.now())], onTransition: () => undefined });
    expect(r).toEqual({ rounds: 1 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an error that is not the stop is thrown (a bug must not loop silently)', async () => {
    const time = fakeTime();
    await expect(
      watchHealth(1000, { now: time.now, sleep: time.sleep, check: async () => Promise.reject(new TypeError('boom')), onTransition: () => undefined }),
    ).rejects.toThrow('boom');
  });
});
