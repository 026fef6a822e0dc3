// A rate over the last few seconds, not since the start: after a slow phase (discovery, a lock wait)
// or a stall, the rate shown is the current one.

export const RATE_WINDOW_MS = 20_000;

export class MovingRate {
  private samples: Array<{ at: number; total: number }> = [];

  constructor(private readonly windowMs = RATE_WINDOW_MS) {}

  /** Records the running total at an instant (ms). */
  add(at: number, total: number): void {
    this.samples.push({ at, total });
    // Samples older than the window go, but two stay: a rate needs a span even after a pause.
    while (this.samples.length > 2 && this.samples[0]!.at < at - this.windowMs) this.samples.shift();
  }

  /** Units per second over the window, or undefined before two samples a moment apart. */
  perSecond(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last) return undefined;
    const span = last.at - first.at;
    if (span <= 0) return undefined;
    return ((last.total - first.total) * 1000) / span;
  }
}
