// The write check's canary: one point of a dedicated metric, tagged with the checking host, written
// with ?details&sync (HBase has it when the TSD answers) and read back exactly. Its value is its own
// millisecond timestamp, an integer that changes with every check; a second write of the same
// timestamp is the same value, so checks from one host never make a "Duplicate timestamp".

import type { CallOptions, TsdClient } from '../opentsdb/client.js';
import { exactSeriesFilters } from '../opentsdb/tag-filter.js';
import { KIND_INT } from '../format/point-value.js';
import type { CanaryPoint } from './health-result.js';

export const DEFAULT_CANARY_METRIC = 'tsdb.backup.canary';

/** Metric names OpenTSDB accepts by default: letters (any script), digits, - _ . / */
export const METRIC_NAME = /^[\p{L}0-9._\-/]+$/u;

export function canaryPoint(metric: string, host: string, nowMs: number): CanaryPoint {
  return { metric, tags: { host }, timestamp: nowMs, value: nowMs };
}

export class CanaryNotStoredError extends Error {
  constructor(
    message: string,
    /** The TSD says its storage failed: HBase trouble. */
    readonly hbase: boolean,
  ) {
    super(message);
  }
}

/** Writes the canary; throws unless the TSD stored it. */
export async function writeCanary(client: Pick<TsdClient, 'put'>, p: CanaryPoint, opts: CallOptions): Promise<void> {
  const body = Buffer.from(JSON.stringify([{ metric: p.metric, timestamp: p.timestamp, value: p.value, tags: p.tags }]));
  const r = await client.put(body, opts);
  if (r.failed > 0 || r.success !== 1) {
    const why = r.errors[0]?.error ?? `${r.success} stored, ${r.failed} failed`;
    // 2.4.1 answers 200 with failed: 1 when HBase refused or timed out the write (PutDataPointRpc).
    throw new CanaryNotStoredError(`the TSD did not store the canary: ${why}`, /storage exception|timed ?out|throttle|hbase|region/i.test(why));
  }
}

/** Reads the canary's series at its timestamp; returns why it differs, or undefined when it is exactly there. */
export async function readBackCanary(client: Pick<TsdClient, 'queryRaw'>, p: CanaryPoint, opts: CallOptions): Promise<string | undefined> {
  const { series } = await client.queryRaw(
    { metric: p.metric, start: p.timestamp, end: p.timestamp, filters: exactSeriesFilters(p.tags), explicitTags: true },
    opts,
  );
  const at = new Date(p.timestamp).toISOString();
  const s = series.find((x) => x.tags.host === p.tags.host);
  const i = s ? s.timestamps.indexOf(p.timestamp) : -1;
  if (!s || i < 0) return `no point at ${at} after the TSD acknowledged it`;
  const v = s.values[i];
  if (s.kinds[i] !== KIND_INT || Number(v) !== p.value) return `${String(v)}${s.kinds[i] === KIND_INT ? '' : ' (a float)'} at ${at} instead of ${p.value}`;
  return undefined;
}
