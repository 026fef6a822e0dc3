// Fault detection inside the replication loop: the primary is checked every `everyMs`, and after
// `failAfter` failed checks in a row it counts as down: `onDown` runs once (the operator's failover
// hook). Once a check succeeds again it counts as up, and a later outage runs the hook again.

import { sleep as defaultSleep } from '../retry.js';

export interface PrimaryCheck {
  ok: boolean;
  reason?: string;
}

export interface PrimaryWatchOptions {
  check: () => Promise<PrimaryCheck>;
  everyMs: number;
  failAfter: number;
  onDown: (reason: string, downSince: Date) => Promise<void>;
  onUp: (downFor: number) => void;
  onFailedCheck?: (reason: string, consecutive: number) => void;
  now: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

export async function watchPrimary(o: PrimaryWatchOptions): Promise<void> {
  const sleep = o.sleep ?? defaultSleep;
  let failures = 0;
  let firstFailure: Date | undefined;
  let down = false;
  while (!o.signal?.aborted) {
    const r = await o.check().catch((err: Error): PrimaryCheck => ({ ok: false, reason: err.message }));
    if (o.signal?.aborted) break;
    if (r.ok) {
      if (down) o.onUp(o.now().getTime() - firstFailure!.getTime());
      failures = 0;
      firstFailure = undefined;
      down = false;
    } else {
      failures++;
      firstFailure ??= o.now();
      o.onFailedCheck?.(r.reason ?? 'failed', failures);
      if (!down && failures >= o.failAfter) {
        down = true;
        await o.onDown(r.reason ?? 'failed', firstFailure);
      }
    }
    try {
      await sleep(o.everyMs, o.signal);
    } catch {
      break;
    }
  }
}
