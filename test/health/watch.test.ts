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

/**
 * Runs a watch on a clock that only moves when the watch sleeps or a check advances it; `check` gets
 * the clock and a stop (the SIGTERM of the process).
 */
async function watchOnFakeClock(
  intervalMs: number,
  check: (time: { now: () => number; advance: (ms: number) => void }, stop: () => void) => Promise<TsdHealth[]>,
) {
  let now = T0;
  const time = { now: () => now, advance: (ms: number) => void (now += ms) };
  const ac = new AbortController();
  const sleeps: number[] = [];
  const transitions: Transition[] = [];
  const rounds: TsdHealth[][] = [];
  const r = await watchHealth(intervalMs, {
    now: () => new Date(now),
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw new InterruptedError();
      sleeps.push(ms);
      now += ms;
    },
    signal: ac.signal,
    check: () => check(time, () => ac.abort(new Error('SIGTERM'))),
    onTransition: (t) => transitions.push(t),
    onRound: async (results) => void rounds.push(results),
  });
  return { ...r, sleeps, transitions, rounds };
}

describe('watch', () => {
  it('checks every interval from the start of each round, reports transitions and every round, stops on the signal', async () => {
    const script: Verdict[] = ['healthy', 'healthy', 'down', 'down', 'healthy'];
    let i = 0;
    const w = await watchOnFakeClock(30_000, async (time, stop) => {
      const started = time.now();
      time.advance(i === 2 ? 45_000 : 2_000); // the third round is slower than the interval
      const v = script[i++]!;
      if (i === script.length) stop();
      return [result('http://tsd:4242', v, started)];
    });
    expect(w.rounds.map((r) => r[0]!.verdict)).toEqual(script);
    expect(w.sleeps).toEqual([28_000, 28_000, 0, 28_000]);
    expect(w.transitions.map((t) => `${t.from} -> ${t.to} after ${t.previousMs}`)).toEqual([
      'null -> healthy after null',
      'healthy -> down after 60000',
      'down -> healthy after 75000',
    ]);
  });

  it('a stop during a check drops that round and ends cleanly', async () => {
    let n = 0;
    const w = await watchOnFakeClock(10_000, async (time, stop) => {
      if (++n === 3) {
        stop();
        throw new InterruptedError();
      }
      return [result('a', 'healthy', time.now())];
    });
    expect(w.rounds).toHaveLength(2);
    expect(w.sleeps).toEqual([10_000, 10_000]);
  });

  it('a stop during the pause ends it at once (the real sleep rejects on the signal)', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(new Error('SIGTERM')), 50);
    const r = await watchHealth(60_000, {
      now: () => new Date(),
      signal: ac.signal,
      check: async () => [result('a', 'healthy', Date.now())],
      onTransition: () => undefined,
    });
    expect(r).toEqual({ rounds: 1 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an error that is not the stop is thrown (a bug must not loop silently)', async () => {
    await expect(watchOnFakeClock(1000, async () => Promise.reject(new TypeError('boom')))).rejects.toThrow('boom');
  });
});
