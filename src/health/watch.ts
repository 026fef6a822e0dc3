// `health --watch`: a check of every TSD each interval (measured from the start of a round; a round
// that takes longer is followed at once), transitions reported as they happen, and something done
// with each round's results (the status file). It ends when its signal fires (SIGINT/SIGTERM): that is
// a requested stop, not a failure. The clock and the sleep are injected so the loop runs in tests
// without waiting.

import { isAbortError } from '../errors.js';
import { sleep as realSleep } from '../retry.js';
import type { TsdHealth } from './health-result.js';
import { TransitionTracker, type Transition } from './transitions.js';

export interface WatchDeps {
  now: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** One round: every TSD checked (throws only when interrupted). */
  check: () => Promise<TsdHealth[]>;
  onTransition: (t: Transition) => void;
  /** After each complete round, e.g. rewrite the status file. */
  onRound?: (results: TsdHealth[]) => Promise<void>;
}

/** Runs rounds until the signal fires; returns how many rounds completed. */
export async function watchHealth(intervalMs: number, deps: WatchDeps): Promise<{ rounds: number }> {
  const sleep = deps.sleep ?? realSleep;
  const tracker = new TransitionTracker();
  let rounds = 0;
  while (!deps.signal?.aborted) {
    const started = deps.now().getTime();
    let results: TsdHealth[];
    try {
      results = await deps.check();
    } catch (err) {
      // A round cut short by the stop says nothing about the TSDs: it is dropped.
      if (isAbortError(err) && deps.signal?.aborted) break;
      throw err;
    }
    for (const t of tracker.observe(results)) deps.onTransition(t);
    await deps.onRound?.(results);
    rounds++;
    try {
      await sleep(Math.max(0, started + intervalMs - deps.now().getTime()), deps.signal);
    } catch (err) {
      if (isAbortError(err)) break;
      throw err;
    }
  }
  return { rounds };
}
