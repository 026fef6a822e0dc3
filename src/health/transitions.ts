// Watch mode reports changes only: the first verdict of each TSD, then each change of verdict with how
// long the TSD was in the state it leaves.

import type { TsdHealth, Verdict } from './health-result.js';

export interface Transition {
  url: string;
  /** null for the first check of the TSD. */
  from: Verdict | null;
  to: Verdict;
  /** When the check that saw the change started (ISO 8601). */
  at: string;
  /** How long the TSD was `from` (since the check that first saw it), or null for the first check. */
  previousMs: number | null;
  reasons: string[];
}

export class TransitionTracker {
  private readonly state = new Map<string, { verdict: Verdict; since: number }>();

  /** The transitions that these results (one round) make. */
  observe(results: readonly TsdHealth[]): Transition[] {
    const out: Transition[] = [];
    for (const r of results) {
      const at = Date.parse(r.checkedAt);
      const prev = this.state.get(r.url);
      if (prev?.verdict === r.verdict) continue;
      out.push({ url: r.url, from: prev?.verdict ?? null, to: r.verdict, at: r.checkedAt, previousMs: prev ? at - prev.since : null, reasons: r.reasons });
      this.state.set(r.url, { verdict: r.verdict, since: at });
    }
    return out;
  }
}
