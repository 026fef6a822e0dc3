/**
 * Writes points into a TSD through its HTTP API the way a careful client must:
 * - value tokens go out verbatim as JSON strings ("value":"1.0"), so no number is re-formatted
 *   (JSON.stringify(1.0) is "1", which a TSD would store as an integer);
 * - bodies stay within maxBodyBytes (default 8000: a default TSD rejects bodies over 8192 bytes,
 *   tsd.http.request.enable_chunked=false) and are sent with a Content-Length (never chunked);
 * - metric names are created first with /api/uid/assign ("Name already exists" is fine), so it
 *   works against a TSD without tsd.core.auto_create_metrics; tag names are auto-created;
 * - POST /api/put?details&sync: any failed point throws, with the TSD's per-point errors;
 * - network errors and 408/424/5xx answers are retried (rewriting identical points is harmless).
 */
import type { SeedPoint } from './dataset.js';

export interface PutPointsOptions {
  /** largest request body in bytes (UTF-8), default 8000 */
  maxBodyBytes?: number;
  /** requests in flight, default 1 */
  concurrency?: number;
  signal?: AbortSignal;
  /** attempts per request for retryable failures, default 4 */
  attempts?: number;
}

export class PutPointsError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly responseBody: string,
  ) {
    super(message);
  }
}

/** One data point as put JSON, value as a JSON string of the exact token. */
export function pointJson(p: SeedPoint): string {
  const ts = p.tsUnit === 's' ? String(p.timestamp / 1000) : String(p.timestamp);
  let tags = '';
  for (const k of Object.keys(p.tags)) tags += (tags ? ',' : '') + JSON.stringify(k) + ':' + JSON.stringify(p.tags[k]);
  return `{"metric":${JSON.stringify(p.metric)},"timestamp":${ts},"value":${JSON.stringify(p.value)},"tags":{${tags}}}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      },
      { once: true },
    );
  });
}

async function post(
  url: string,
  body: string,
  opts: Required<Pick<PutPointsOptions, 'attempts'>> & { signal?: AbortSignal },
): Promise<{ status: number; text: string }> {
  let last: unknown;
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: opts.signal });
      const text = await res.text();
      if ((res.status === 408 || res.status === 424 || res.status >= 500) && attempt < opts.attempts) {
        last = new PutPointsError(`HTTP ${res.status} from ${url}: ${text.slice(0, 300)}`, res.status, text);
        await sleep(100 * 2 ** attempt, opts.signal);
        continue;
      }
      return { status: res.status, text };
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      last = err;
      if (attempt < opts.attempts) await sleep(100 * 2 ** attempt, opts.signal);
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Creates metric names (in bodies that stay under maxBodyBytes); existing names are fine. */
async function assignMetrics(base: string, names: string[], maxBodyBytes: number, opts: { attempts: number; signal?: AbortSignal }): Promise<void> {
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const body = JSON.stringify({ metric: batch });
    batch = [];
    const { status, text } = await post(`${base}/api/uid/assign`, body, opts);
    if (status === 200) return;
    let parsed: { metric_errors?: Record<string, string> } | undefined;
    try {
      parsed = JSON.parse(text) as { metric_errors?: Record<string, string> };
    } catch {
      parsed = undefined;
    }
    const errors = Object.entries(parsed?.metric_errors ?? {}).filter(([, e]) => !e.startsWith('Name already exists with UID'));
    if (status !== 400 || !parsed || errors.length > 0) {
      throw new PutPointsError(
        `uid/assign failed (HTTP ${status}): ${errors.length ? errors.map(([n, e]) => `${n}: ${e}`).join('; ') : text.slice(0, 500)}`,
        status,
        text,
      );
    }
  };
  for (const n of names) {
    if (byteLength(JSON.stringify({ metric: [...batch, n] })) > maxBodyBytes) await flush();
    batch.push(n);
  }
  await flush();
}

/**
 * Writes every point; resolves with the number written. Throws PutPointsError (with the TSD's
 * answer) if any point is rejected.
 */
export async function putPoints(url: string, points: Iterable<SeedPoint>, opts: PutPointsOptions = {}): Promise<{ written: number }> {
  const base = url.replace(/\/+$/, '');
  const maxBodyBytes = opts.maxBodyBytes ?? 8000;
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const postOpts = { attempts: opts.attempts ?? 4, signal: opts.signal };
  const knownMetrics = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let firstError: unknown;
  let written = 0;

  const send = (items: string[], metrics: Set<string>) => {
    const body = `[${items.join(',')}]`;
    const count = items.length;
    const p = (async () => {
      const newMetrics = [...metrics].filter((m) => !knownMetrics.has(m));
      newMetrics.forEach((m) => knownMetrics.add(m));
      if (newMetrics.length) await assignMetrics(base, newMetrics, maxBodyBytes, postOpts);
      const { status, text } = await post(`${base}/api/put?details&sync`, body, postOpts);
      let summary: { success?: number; failed?: number; errors?: unknown[] } | undefined;
      try {
        summary = JSON.parse(text) as typeof summary;
      } catch {
        summary = undefined;
      }
      if (status !== 200 || !summary || summary.failed !== 0) {
        const errs = summary?.errors ? JSON.stringify(summary.errors.slice(0, 5)) : text.slice(0, 1000);
        throw new PutPointsError(`put of ${count} points failed (HTTP ${status}, ${summary?.failed ?? '?'} failed): ${errs}`, status, text);
      }
      written += count;
    })();
    const tracked = p.catch((e: unknown) => {
      firstError ??= e;
    });
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  };

  // metric creation must finish before a batch with a new metric is written: batches that bring
  // new metrics wait for everything in flight first (this only happens a few times per dataset)
  let items: string[] = [];
  let metrics = new Set<string>();
  let size = 2; // "[]"
  const flush = async () => {
    if (items.length === 0) return;
    const hasNew = [...metrics].some((m) => !knownMetrics.has(m));
    if (hasNew) await Promise.all(inFlight);
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (firstError) throw firstError;
    send(items, metrics);
    if (hasNew) await Promise.all(inFlight);
    items = [];
    metrics = new Set();
    size = 2;
  };
  for (const p of points) {
    opts.signal?.throwIfAborted();
    if (firstError) break;
    const json = pointJson(p);
    const len = byteLength(json);
    if (len + 2 > maxBodyBytes)
      throw new PutPointsError(`a single point needs ${len + 2} bytes, more than maxBodyBytes=${maxBodyBytes}: ${json.slice(0, 200)}`, 0, '');
    if (size + len + (items.length ? 1 : 0) > maxBodyBytes) await flush();
    size += len + (items.length ? 1 : 0);
    items.push(json);
    metrics.add(p.metric);
  }
  if (!firstError) await flush();
  await Promise.all(inFlight);
  if (firstError) throw firstError;
  return { written };
}
