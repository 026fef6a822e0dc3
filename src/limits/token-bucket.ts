// A token bucket that paces an amount (points, bytes) to a rate. It is kept as the time at which
// everything taken so far is paid for (the GCRA form of the bucket): a take adds its amount / rate to
// that time and waits until it has come, so concurrent takers are served in order of arrival, nothing
// has to be held while waiting, and a take larger than the bucket is never refused or starved: it waits
// for its whole amount, and the takes after it wait for that debt.
//
// Burst semantics: the bucket starts empty and holds at most `burstSeconds` of the rate. Starting empty
// means that, from the first take on, the amount taken never runs ahead of the rate (a short run is not
// a burst at full speed); the capacity lets a run that paused (encoding, storing) catch up by at most
// that much.

import { throwIfAborted } from '../errors.js';
import { sharedListenerSleep, type Sleep } from './abortable-sleep.js';

/** What the TSD client and the storage wrapper need of a limiter. */
export interface RateLimiter {
  /** Waits until `amount` fits under the rate, then counts it as taken. */
  take(amount: number, signal?: AbortSignal): Promise<void>;
}

export interface TokenBucketOptions {
  perSecond: number;
  /** The bucket's capacity in seconds of the rate (default 1). */
  burstSeconds?: number;
  now?: () => number;
  sleep?: Sleep;
}

export interface TokenBucketStats {
  perSecond: number;
  /** Everything taken so far. */
  amount: number;
  /** Wall time during which at least one taker waited for the bucket. */
  throttledMs: number;
  /** When the first amount was taken (epoch ms), if any was. */
  since?: number;
  /** When the last amount taken was let through (epoch ms, by the clock after its wait). */
  until?: number;
}

export const DEFAULT_BURST_SECONDS = 1;

export class TokenBucket implements RateLimiter {
  readonly perSecond: number;
  private readonly burstMs: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  /** When everything taken so far is paid for (epoch ms); undefined before the first take. */
  private paidAt: number | undefined;
  private since: number | undefined;
  private until: number | undefined;
  private amount = 0;
  private throttledMs = 0;
  private throttledUntil = Number.NEGATIVE_INFINITY;

  constructor(opts: TokenBucketOptions) {
    if (!Number.isFinite(opts.perSecond) || opts.perSecond <= 0) throw new RangeError(`a rate must be a positive number, not ${opts.perSecond}`);
    this.perSecond = opts.perSecond;
    this.burstMs = (opts.burstSeconds ?? DEFAULT_BURST_SECONDS) * 1000;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? sharedListenerSleep();
  }

  async take(amount: number, signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    if (!(amount > 0)) return;
    const now = this.now();
    this.since ??= now;
    // Tokens saved while idle never exceed the capacity: the debt line moves up to at most burstMs ago.
    const from = this.paidAt === undefined ? now : Math.max(this.paidAt, now - this.burstMs);
    const paidAt = from + (amount * 1000) / this.perSecond;
    this.paidAt = paidAt;
    this.amount += amount;
    const waitMs = paidAt - now;
    // A debt under a millisecond is not slept for (a timer could not be shorter): it stays in paidAt, so
    // the next take pays it.
    if (waitMs >= 1) {
      this.throttledMs += paidAt - Math.max(now, this.throttledUntil);
      this.throttledUntil = paidAt;
      await this.sleep(Math.ceil(waitMs), signal);
    }
    this.until = Math.max(this.until ?? 0, this.now());
  }

  stats(): TokenBucketStats {
    const times = this.since === undefined ? {} : { since: this.since, until: this.until ?? this.since };
    return { perSecond: this.perSecond, amount: this.amount, throttledMs: Math.round(this.throttledMs), ...times };
  }
}
