// Reads every series of the given metrics from a TSD through /api/query (raw, ms resolution) with the
// exact value token text, so two clusters can be compared point for point, value kinds included.

import { parse } from 'lossless-json';

export type ClusterSnapshot = Map<string, string[]>;

function seriesKey(metric: string, tags: Record<string, string>): string {
  return `${metric}{${Object.keys(tags)
    .sort()
    .map((k) => `${k}=${tags[k]}`)
    .join(',')}}`;
}

export async function snapshot(url: string, metrics: readonly string[], start: number, end: number): Promise<ClusterSnapshot> {
  const out: ClusterSnapshot = new Map();
  for (const metric of metrics) {
    const res = await fetch(`${url}/api/query?arrays`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start, end, msResolution: true, noAnnotations: true, queries: [{ aggregator: 'none', metric }] }),
    });
    const text = await res.text();
    if (res.status === 400 && text.includes('No such name')) continue;
    if (res.status !== 200) throw new Error(`query ${metric} on ${url}: ${res.status} ${text.slice(0, 300)}`);
    const doc = parse(text, null, (t) => t) as Array<{ metric: string; tags: Record<string, string>; dps: Array<[string, string]> }>;
    for (const s of doc) {
      const key = seriesKey(s.metric, s.tags);
      if (out.has(key)) throw new Error(`series ${key} returned twice`);
      out.set(
        key,
        s.dps.map(([t, v]) => `${t}=${v}`),
      );
    }
  }
  return out;
}

/** A readable list of differences (at most `max`), empty when identical. */
export function differences(a: ClusterSnapshot, b: ClusterSnapshot, max = 10): string[] {
  const diffs: string[] = [];
  for (const [key, pa] of a) {
    const pb = b.get(key);
    if (!pb) diffs.push(`${key}: missing in the second cluster`);
    else if (pa.join(' ') !== pb.join(' ')) {
      const i = pa.findIndex((p, j) => p !== pb[j]);
      diffs.push(`${key}: ${pa.length} vs ${pb.length} points, first difference at ${i}: ${pa[i]} vs ${pb[i]}`);
    }
    if (diffs.length >= max) return diffs;
  }
  for (const key of b.keys()) if (!a.has(key) && diffs.length < max) diffs.push(`${key}: only in the second cluster`);
  return diffs;
}

export function pointCount(s: ClusterSnapshot): number {
  let n = 0;
  for (const p of s.values()) n += p.length;
  return n;
}
