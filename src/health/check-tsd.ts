// One health check of one TSD, step by step: the API (/api/version), its config (the write limits
// restore would see), the read path (a suggest and a small count query) and, unless read-only, the
// write path (the canary written and read back exactly). Every step's latency is measured; the verdict
// comes from what failed and what was slow. A failure is a finding, never an exception: only an
// interruption (the caller's signal) is thrown.

import { isAbortError } from '../errors.js';
import type { CallOptions, TsdClient } from '../opentsdb/client.js';
import { isUnknownMetric } from '../opentsdb/errors.js';
import { runParallel } from '../parallel/run-parallel.js';
import { limitsFromConfig } from '../restore/target-limits.js';
import { UidPrecreator } from '../restore/uid-precreate.js';
import { canaryPoint, readBackCanary, writeCanary } from './canary.js';
import type { CanaryPoint, StepName, StepResult, TsdHealth, Verdict, WriteLimits } from './health-result.js';
import { describeStepFailure, reasonFor, type StepFailure } from './step-failure.js';

/** Per request: a health check must answer quickly (a hung TSD is a finding, not something to wait for). */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** A step slower than this makes the TSD degraded. A ?sync put waits for the TSD's 1 s flush. */
export const DEFAULT_SLOW_MS = 2_000;
/** The read check's window of the canary metric. */
const QUERY_WINDOW_MS = 10 * 60_000;

export type HealthClient = Pick<TsdClient, 'version' | 'config' | 'suggest' | 'countPoints' | 'assignUids' | 'put' | 'queryRaw' | 'toString'>;

export interface HealthOptions {
  canaryMetric: string;
  /** The canary's host tag value (os.hostname() in the CLI). */
  host: string;
  /** Skip the write check (and any UID creation). */
  readOnly: boolean;
  slowMs: number;
}

export interface HealthDeps {
  now: () => Date;
  signal?: AbortSignal;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The limits restore would see, read from /api/config (the version is reported on its own). */
function writeLimits(config: Record<string, string>): WriteLimits {
  const { version: _, ...limits } = limitsFromConfig('', config);
  return limits;
}

class Steps {
  readonly results: StepResult[] = [];
  readonly reasons: string[] = [];

  constructor(private readonly now: () => Date) {}

  /** Runs a step; its failure is recorded (and returned as undefined), an interruption is thrown. */
  async run<T>(name: StepName, fn: () => Promise<T>, note?: (r: T) => string | undefined): Promise<{ value: T } | { failure: StepFailure }> {
    const t0 = this.now().getTime();
    try {
      const value = await fn();
      const n = note?.(value);
      this.results.push({ name, ok: true, ms: this.now().getTime() - t0, ...(n ? { note: n } : {}) });
      return { value };
    } catch (err) {
      if (isAbortError(err)) throw err;
      const failure = describeStepFailure(err);
      this.results.push({ name, ok: false, ms: this.now().getTime() - t0, error: failure.text });
      if (name !== 'version') this.reasons.push(reasonFor(name, failure));
      return { failure };
    }
  }
}

async function checkWrite(
  client: HealthClient,
  steps: Steps,
  opts: HealthOptions,
  limits: WriteLimits | null,
  call: CallOptions,
  nowMs: number,
): Promise<CanaryPoint | null> {
  if (limits?.readOnly) {
    steps.reasons.push('a write check was asked for, but the TSD runs with tsd.mode=ro (use --read-only to check reads only)');
    return null;
  }
  const p = canaryPoint(opts.canaryMetric, opts.host, nowMs);
  // Without the config, create the names anyway: "already exists" is success.
  if (!limits || !limits.autoCreateMetrics || !limits.autoCreateTagks || !limits.autoCreateTagvs) {
    // Unknown limits: a default TSD's (the smallest body).
    const uids = new UidPrecreator(client, (limits ?? writeLimits({})).maxBodyBytes);
    const assigned = await steps.run(
      'assign',
      async () => {
        let created = 0;
        if (!limits?.autoCreateMetrics) created += await uids.ensure('metric', [p.metric], call.signal);
        if (!limits?.autoCreateTagks) created += await uids.ensure('tagk', Object.keys(p.tags), call.signal);
        if (!limits?.autoCreateTagvs) created += await uids.ensure('tagv', Object.values(p.tags), call.signal);
        return created;
      },
      (created) => (created > 0 ? `created ${created} name(s)` : 'the names exist'),
    );
    if ('failure' in assigned) return null;
  }
  const put = await steps.run('put', () => writeCanary(client, p, call));
  if ('failure' in put) return p;
  const read = await steps.run('read-back', () => readBackCanary(client, p, call));
  if ('value' in read && read.value !== undefined) {
    const last = steps.results.at(-1)!;
    last.ok = false;
    last.error = `read back ${read.value}`;
    steps.reasons.push(`the canary read back differs: ${read.value}`);
  }
  return p;
}

export async function checkTsd(client: HealthClient, opts: HealthOptions, deps: HealthDeps): Promise<TsdHealth> {
  const started = deps.now();
  const call: CallOptions = { signal: deps.signal };
  const steps = new Steps(deps.now);
  const url = client.toString();
  const v = await steps.run('version', () => client.version(call));
  if ('failure' in v && v.failure.noAnswer) {
    const f = v.failure;
    const reason = f.text.startsWith('cannot reach') ? f.text : `/api/version ${f.text}`;
    return { url, verdict: 'down', reasons: [reason], steps: steps.results, version: null, limits: null, canary: null, checkedAt: started.toISOString() };
  }
  // The API answered, but not as a TSD's /api/version does (a 4xx from a proxy, a body of another shape).
  if ('failure' in v) steps.reasons.push(`/api/version ${v.failure.text}`);
  const version = 'value' in v ? v.value : null;
  const config = await steps.run('config', () => client.config(call));
  const limits = 'value' in config ? writeLimits(config.value) : null;

  // The canary metric, or (read-only, before any canary was written) some metric of the TSD: the query
  // must read the data table, and a metric without a UID is answered from the UID table alone.
  const suggested = await steps.run('suggest', async () => {
    const canary = await client.suggest('metrics', opts.canaryMetric, 1, call);
    if (canary.includes(opts.canaryMetric) || !opts.readOnly) return opts.canaryMetric;
    return (await client.suggest('metrics', '', 1, call))[0] ?? opts.canaryMetric;
  });
  const readMetric = 'value' in suggested ? suggested.value : opts.canaryMetric;
  // Another metric may be dense: a minute of it is enough to prove the read.
  const windowMs = readMetric === opts.canaryMetric ? QUERY_WINDOW_MS : 60_000;
  const nowMs = deps.now().getTime();
  await steps.run(
    'query',
    async () => {
      try {
        return await client.countPoints({ metric: readMetric, start: nowMs - windowMs, end: nowMs }, call);
      } catch (err) {
        if (isUnknownMetric(err)) return null;
        throw err;
      }
    },
    (n) => {
      if (readMetric !== opts.canaryMetric) return `${n ?? 0} point(s) of ${readMetric} in the last ${windowMs / 60_000} min`;
      return n === null ? 'the canary metric does not exist yet' : `${n} canary point(s) in the last ${windowMs / 60_000} min`;
    },
  );
  const canary = opts.readOnly ? null : await checkWrite(client, steps, opts, limits, call, deps.now().getTime());

  for (const s of steps.results) {
    if (s.ok && s.ms > opts.slowMs) steps.reasons.push(`${s.name} took ${seconds(s.ms)}, slower than ${seconds(opts.slowMs)}`);
  }
  const verdict: Verdict = steps.reasons.length > 0 ? 'degraded' : 'healthy';
  return { url, verdict, reasons: steps.reasons, steps: steps.results, version, limits, canary, checkedAt: started.toISOString() };
}

/** Checks every TSD at once; throws only when interrupted. */
export function checkTsds(clients: readonly HealthClient[], opts: HealthOptions, deps: HealthDeps): Promise<TsdHealth[]> {
  return runParallel(clients, { concurrency: Math.max(1, clients.length), signal: deps.signal }, (client, ctx) =>
    checkTsd(client, opts, { ...deps, signal: ctx.signal }),
  );
}
