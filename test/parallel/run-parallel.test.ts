import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { runParallel } from '../../src/parallel/run-parallel.js';

const tick = (ms = 1): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('runParallel', () => {
  it('returns results in input order with at most `concurrency` items running', async () => {
    let running = 0;
    let peak = 0;
    const r = await runParallel([5, 1, 3, 2, 4], { concurrency: 2 }, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await tick(n);
      running--;
      return n * 10;
    });
    expect(r).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
  });

  it('on the first failure takes no more work, aborts the signal, waits for what runs, then throws it', async () => {
    const started: number[] = [];
    const events: string[] = [];
    const boom = new Error('boom');
    const p = runParallel(
      Array.from({ length: 20 }, (_, i) => i),
      { concurrency: 3 },
      async (i, { signal }) => {
        started.push(i);
        if (i === 1) {
          await tick(2);
          throw boom;
        }
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        await tick(5);
        events.push(`settled ${i}`);
      },
    );
    await expect(p).rejects.toBe(boom);
    events.push('rejected');
    expect(started).toEqual([0, 1, 2]);
    // The others in flight settled before the caller heard of the failure.
    expect(events).toEqual(['settled 0', 'settled 2', 'rejected']);
  });

  it("an abort of the caller's signal stops taking work and ends as an interruption", async () => {
    const ctl = new AbortController();
    const started: number[] = [];
    const p = runParallel([1, 2, 3, 4, 5, 6], { concurrency: 2, signal: ctl.signal }, async (i, { signal }) => {
      started.push(i);
      if (i === 2) ctl.abort();
      await tick(2);
      if (signal.aborted) throw new DOMException('This operation was aborted', 'AbortError');
    });
    await expect(p).rejects.toBeInstanceOf(InterruptedError);
    expect(started).toEqual([1, 2]);
  });

  it('an empty list is an empty result; a bad concurrency is a bug', async () => {
    expect(await runParallel([], { concurrency: 4 }, async () => 1)).toEqual([]);
    await expect(runParallel([1], { concurrency: 0 }, async () => 1)).rejects.toBeInstanceOf(RangeError);
  });
});
