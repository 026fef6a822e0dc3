// What a health check of one TSD finds: each step with its latency, and the verdict with its reasons.

import type { TargetLimits } from '../restore/target-limits.js';

/** healthy: every step passed in time; degraded: the API answers but a read or write fails or is slow; down: the API does not answer. */
export type Verdict = 'healthy' | 'degraded' | 'down';

export const VERDICTS: readonly Verdict[] = ['healthy', 'degraded', 'down'];

export type StepName = 'version' | 'config' | 'suggest' | 'query' | 'assign' | 'put' | 'read-back';

export interface StepResult {
  name: StepName;
  ok: boolean;
  /** Latency of the step (its one request, or two for assign with tag names). */
  ms: number;
  /** Why it failed, without the step's name: "answered 424: ...", "timed out after 10000 ms". */
  error?: string;
  /** A fact worth showing for a passing step, e.g. "the metric does not exist yet". */
  note?: string;
}

/** The write limits as restore sees them (src/restore/target-limits.ts), without the version. */
export type WriteLimits = Omit<TargetLimits, 'version'>;

/** The point written by the write check: an integer value (its own timestamp) at a millisecond time. */
export interface CanaryPoint {
  metric: string;
  tags: Record<string, string>;
  timestamp: number;
  value: number;
}

export interface TsdHealth {
  /** The TSD's base URL, without credentials. */
  url: string;
  verdict: Verdict;
  /** Why it is not healthy (empty when it is). */
  reasons: string[];
  steps: StepResult[];
  /** What /api/version said, or null when it did not answer. */
  version: string | null;
  /** From /api/config, or null when it did not answer. */
  limits: WriteLimits | null;
  /** The point the write check wrote, or null when none was written (--read-only, ro, down). */
  canary: CanaryPoint | null;
  /** When the check started (ISO 8601). */
  checkedAt: string;
}
