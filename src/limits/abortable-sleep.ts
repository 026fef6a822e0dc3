// Sleeps that many waiters share one abort listener per signal: a limiter may have a hundred puts
// waiting on the command's signal at once, and one listener each would pass Node's limit of 10 per
// target (MaxListenersExceededWarning) and leak nothing but noise. Ctrl-C still ends every wait at once.

import { InterruptedError } from '../errors.js';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export function sharedListenerSleep(): Sleep {
  const waiting = new WeakMap<AbortSignal, Set<() => void>>();
  const cancellersOf = (signal: AbortSignal): Set<() => void> => {
    let set = waiting.get(signal);
    if (!set) {
      const fresh = new Set<() => void>();
      signal.addEventListener('abort', () => [...fresh].forEach((cancel) => cancel()), { once: true });
      waiting.set(signal, fresh);
      set = fresh;
    }
    return set;
  };
  return (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new InterruptedError('interrupted', { cause: signal.reason }));
      const cancellers = signal ? cancellersOf(signal) : undefined;
      const cancel = (): void => {
        clearTimeout(timer);
        cancellers?.delete(cancel);
        reject(new InterruptedError('interrupted', { cause: signal?.reason }));
      };
      const timer = setTimeout(() => {
        cancellers?.delete(cancel);
        resolve();
      }, ms);
      cancellers?.add(cancel);
    });
}
