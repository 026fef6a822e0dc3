// Turns the failure of a health check step into words, and says whether it is HBase trouble: the TSD
// answers its own API (/api/version needs no storage) but a read or write that needs HBase fails with
// 424 (HBase exception), 408 (HBase RPC timed out), a 5xx, or gets no answer in time.

import { TsdHttpError, TsdUnreachableError } from '../opentsdb/errors.js';
import { CanaryNotStoredError } from './canary.js';

export interface StepFailure {
  /** Without the step's name: "answered 424: ...", "timed out (no complete answer within 10000 ms)". */
  text: string;
  hbase: boolean;
  /** The TSD did not answer at all, or answered 5xx: for /api/version that means down. */
  noAnswer: boolean;
}

export function describeStepFailure(err: unknown): StepFailure {
  if (err instanceof TsdHttpError) {
    const serverSide = err.status >= 500;
    return { text: `answered ${err.status}: ${err.tsdMessage}`, hbase: serverSide || err.status === 424 || err.status === 408, noAnswer: serverSide };
  }
  if (err instanceof TsdUnreachableError) {
    if (err.netCode === 'TIMEOUT') return { text: `timed out (${err.detail})`, hbase: true, noAnswer: true };
    return { text: `cannot reach the TSD: ${err.detail}`, hbase: false, noAnswer: true };
  }
  return { text: `failed: ${(err as Error)?.message ?? String(err)}`, hbase: err instanceof CanaryNotStoredError && err.hbase, noAnswer: false };
}

/** The steps that need HBase (/api/version and /api/config are answered from the TSD's memory). */
const NEEDS_HBASE = new Set(['suggest', 'query', 'assign', 'put', 'read-back']);

/** A reason line: "HBase trouble: query answered 424: ..." or "config answered 500: ...". */
export function reasonFor(step: string, f: StepFailure): string {
  return `${f.hbase && NEEDS_HBASE.has(step) ? 'HBase trouble: ' : ''}${step} ${f.text}`;
}
