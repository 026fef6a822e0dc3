// The TSD's floor for a backup: the raw queries that read a backup's data, sent by a minimal client (the
// backup's own transport, uncompressed answers) at the backup's concurrency, with nothing decoded beyond
// JSON.parse and nothing stored. The queries are the backup's pieces as its manifest records them (metric,
// window, and the tag filters of a window split by series), each read once; with `batch` > 1 the whole-metric
// pieces of one window are asked `batch` metrics per request, as the backup's first windows are
// (fetch/first-windows.ts). No count query is sent: the floor is what reading the data costs, not proving
// that a query is safe to send.

import pLimit from 'p-limit';
import { compress } from 'zstd-napi';
import type { Manifest } from '../src/format/manifest.js';
import type { FetchedAnswer } from '../src/opentsdb/http.js';
import { createTlsFetch } from '../src/opentsdb/tls-fetch.js';

export interface PlainQuery {
  start: number;
  end: number;
  subs: Array<{ metric: string; filters?: unknown[] }>;
}

/** The backup's own transport (node:http, src/opentsdb/node-http-fetch.ts): the ratio is then the client's work alone. */
const transport = createTlsFetch();

async function bodyOf(res: FetchedAnswer): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = res.body?.getReader();
  for (;;) {
    const r = await reader?.read();
    if (!r || r.done || !r.value) break;
    parts.push(r.value);
  }
  return Buffer.concat(parts);
}

/** Each piece of the manifest once (a piece may be stored as several chunks); whole metrics of one window `batch` per query. */
export function plainQueries(m: Manifest, batch = 1): PlainQuery[] {
  const seen = new Set<string>();
  const out: PlainQuery[] = [];
  const whole = new Map<string, PlainQuery>();
  for (const c of m.chunks) {
    const key = JSON.stringify([c.metric, c.start, c.end, c.filters ?? null]);
    if (seen.has(key)) continue;
    seen.add(key);
    if (c.filters || batch <= 1) {
      out.push({ start: c.start, end: c.end, subs: [{ metric: c.metric, ...(c.filters ? { filters: c.filters } : {}) }] });
      continue;
    }
    const w = `${c.start}:${c.end}`;
    let q = whole.get(w);
    if (!q || q.subs.length >= batch) {
      q = { start: c.start, end: c.end, subs: [] };
      whole.set(w, q);
      out.push(q);
    }
    q.subs.push({ metric: c.metric });
  }
  return out;
}

export interface PlainFetchResult {
  seconds: number;
  bytes: number;
  /** zstd -3 of the answers, when asked (withZstd). */
  zstd3: number;
  queries: number;
  /** Points in the answers (JSON.parse'd), when asked (parse). */
  points: number;
}

/** Sends the queries, `concurrency` at a time; an error answer fails the fetch (a fast error must not pass for a read). */
export async function plainFetch(
  source: string,
  queries: readonly PlainQuery[],
  opts: { concurrency: number; withZstd?: boolean; parse?: boolean },
): Promise<PlainFetchResult> {
  const limit = pLimit(opts.concurrency);
  let bytes = 0;
  let points = 0;
  const bodies: Buffer[] = [];
  const t0 = performance.now();
  await Promise.all(
    queries.map((q) =>
      limit(async () => {
        const res = await transport(`${source}/api/query?arrays`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'accept-encoding': 'identity' },
          body: JSON.stringify({
            start: q.start,
            end: q.end,
            msResolution: true,
            noAnnotations: true,
            queries: q.subs.map((s) => ({ aggregator: 'none', ...s })),
          }),
        });
        const body = await bodyOf(res);
        if (res.status !== 200)
          throw new Error(`plain fetch of ${q.subs.map((s) => s.metric).join(',')} answered ${res.status}: ${body.toString().slice(0, 300)}`);
        bytes += body.length;
        if (opts.parse) for (const s of JSON.parse(body.toString()) as Array<{ dps: unknown[] }>) points += s.dps.length;
        if (opts.withZstd) bodies.push(body);
      }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  let zstd3 = 0;
  for (const b of bodies) zstd3 += compress(b, { compressionLevel: 3 }).length;
  return { seconds, bytes, zstd3, queries: queries.length, points };
}
