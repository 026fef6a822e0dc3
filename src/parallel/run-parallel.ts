// The one fan-out helper (vmbackup's runParallel): at most `concurrency` items at once; on the first
// failure no new item starts, the signal handed to the work is aborted so items in flight can stop
// early, and only when every started item has settled is the first failure thrown. Nothing runs on
// after the caller has been told the work failed.

import { InterruptedError } from '../errors.js';

export interface ParallelOptions {
  concurrency: number;
  /** The caller's signal (Ctrl-C, a lost lock): aborting it stops taking work too. */
  signal?: AbortSignal;
}

/** What each item gets: its signal fires on the caller's abort or on another item's failure. */
export interface ParallelContext {
  signal: AbortSignal;
}

export async function runParallel<T, R>(items: readonly T[], opts: ParallelOptions, work: (item: T, ctx: ParallelContext) => Promise<R>): Promise<R[]> {
  if (!Number.isSafeInteger(opts.concurrency) || opts.concurrency < 1) throw new RangeError(`concurrency must be a whole number >= 1, not ${opts.concurrency}`);
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const results = new Array<R>(items.length);
  let failed = false;
  let failure: unknown;
  let interrupted = false;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!failed && !signal.aborted && next < items.length) {
      const i = next++;
      try {
        results[i] = await work(items[i]!, { signal });
      } catch (err) {
        if (!failed) {
          failed = true;
          failure = err;
          // A failure after the caller's abort is most likely its consequence: report the interruption.
          interrupted = opts.signal?.aborted === true;
          stop.abort(err);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, items.length) }, worker));
  if (failed) {
    if (interrupted && !(failure instanceof InterruptedError)) throw new InterruptedError('interrupted', { cause: opts.signal?.reason });
    throw failure;
  }
  if (opts.signal?.aborted) throw new InterruptedError('interrupted', { cause: opts.signal.reason });
  return results;
}
