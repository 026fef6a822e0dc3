// The TSD's HTTP API as tsdb-backup uses it. Every call takes an AbortSignal; retryable failures are
// retried with backoff here, so callers see only final outcomes.

import * as v from '../validation/schema.js';
import { UsageError } from '../errors.js';
import type { RateLimiter } from '../limits/token-bucket.js';
import { withRetry, type RetryPolicy } from '../retry.js';
import { isRetryableTsdError, isTimeout, TsdHttpError, TsdNamelessSeriesError, TsdResponseInvalidError } from './errors.js';
import { errorMessageOf, httpRequest, type Fetch, type HttpRequest, type HttpResponse } from './http.js';
import type { PutResult } from './put-result.js';
import { annotationMs, parseQueryResponse, type QueriedSeries, type TsdAnnotation } from './query-response.js';
import { sentRange, type SentRange } from './query-time.js';
import { createTlsFetch } from './tls-fetch.js';
import type { TagFilter } from './tag-filter.js';

export interface TsdClientOptions {
  url: string;
  fetch?: Fetch;
  timeoutMs?: number;
  /** Extra headers, e.g. Authorization for a TSD behind an authenticating proxy. */
  headers?: Record<string, string>;
  /** The Authorization header; it replaces the URL's user:password@ and an `authorization` in `headers`. */
  authorization?: string;
  retry?: RetryPolicy;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /**
   * Ask the TSD to gzip its answers. Off by default: compressing a query answer costs the TSD most of
   * the CPU it spends on it (1.0 of 1.3 CPU-seconds per 1M points) and the client more to undo it; on a
   * slow link the smaller answers can be worth it.
   */
  compressedResponses?: boolean;
  /** --limit-points and --limit-bytes: the pace of this client's traffic with the TSD. */
  limits?: TsdLimits;
}

/**
 * What a client's limiters count. `points`: the points of raw query answers (counted once parsed, so
 * the next request waits for them) and of put bodies (counted before the put is sent, once however
 * often it is retried). `bytes`: HTTP body bytes as sent and received, request bodies before each
 * attempt (a gzip body counts compressed) and answers once read, for every request including retries.
 */
export interface TsdLimits {
  points?: RateLimiter;
  bytes?: RateLimiter;
}

export interface RawQuery {
  metric: string;
  start: number;
  end: number;
  filters?: readonly TagFilter[];
  /** Only series with exactly the filtered tag keys (OpenTSDB 2.3+). */
  explicitTags?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface SeriesCountOptions {
  /**
   * Count only the series with a point in [start, end] (measured on 2.4.1: a series whose row is scanned
   * but has no point in the range is not counted), not every series a raw query would scan.
   */
  withPoints?: boolean;
}

export interface AssignResult {
  created: string[];
  existing: string[];
  failed: Array<{ type: string; name: string; error: string }>;
  /** The UID (hex) of each name created or found, as the answer gives it. */
  uids: Array<{ type: (typeof UID_TYPES)[number]; name: string; uid: string }>;
}

const versionSchema = v.object({ version: v.string() }).passthrough();
const stringArray = v.array(v.string());
const configSchema = v.record(v.unknown());
const lookupSchema = v.object({ results: v.array(v.object({ tags: v.record(v.string()) }).passthrough()) }).passthrough();
const UID_TYPES = ['metric', 'tagk', 'tagv'] as const;

/**
 * A URL as it may be quoted in a message: everything between the scheme and the last '@' hidden. The
 * last '@' of the whole text, not of the authority: a malformed URL has no authority to trust, and a
 * password may hold an unencoded '@' or '/'. A path with an '@' is hidden too, which costs nothing.
 */
export function redactUrl(raw: string): string {
  return raw.replace(/^([^/@]*\/\/)?[\s\S]*@/, (_, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

function decodeCredential(part: string, raw: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new UsageError(`'${redactUrl(raw)}': the user name or password is not valid percent-encoding (write % as %25)`);
  }
}

/** Splits user:password@ out of a URL into a Basic Authorization header. */
export function normalizeTsdUrl(raw: string): { base: string; headers: Record<string, string> } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`'${redactUrl(raw)}' is not a URL (expected e.g. http://tsd:4242; in a password, write / # ? @ % as %2F %23 %3F %40 %25)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`'${redactUrl(raw)}' must be an http:// or https:// URL (e.g. http://tsd:4242)`);
  const headers: Record<string, string> = {};
  if (u.username || u.password) {
    const creds = `${decodeCredential(u.username, raw)}:${decodeCredential(u.password, raw)}`;
    headers.authorization = `Basic ${Buffer.from(creds).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  return { base: u.toString().replace(/\/+$/, ''), headers };
}

/** Refuses the nameless empty series 2.4.1 answers instead of data it cannot read (see the error). */
function parseSeries(text: string, url: string, opts: { raw?: boolean } = {}): QueriedSeries[] {
  const series = parseQueryResponse(text, url, opts);
  if (series.some((s) => s.metric === '' && s.timestamps.length === 0)) throw new TsdNamelessSeriesError(url);
  return series;
}

/** Keeps only the points in [start, end] (the TSD was asked for more, see query-time.ts). */
function keepWithin(s: QueriedSeries, start: number, end: number): void {
  let from = 0;
  while (from < s.timestamps.length && s.timestamps[from]! < start) from++;
  let to = s.timestamps.length;
  while (to > from && s.timestamps[to - 1]! > end) to--;
  if (from === 0 && to === s.timestamps.length) return;
  s.timestamps = s.timestamps.slice(from, to);
  s.kinds = s.kinds.slice(from, to);
  s.values = s.values.slice(from, to);
}

/** The rows a raw query of [start, end] scans, as a range to count over (countSeries). */
function scannedRange(start: number, end: number): SentRange {
  return sentRange(Math.floor(start / 3_600_000) * 3_600_000, end + 2 * 3_600_000);
}

export class TsdClient {
  readonly base: string;
  private readonly http;

  constructor(private readonly opts: TsdClientOptions) {
    const { base, headers } = normalizeTsdUrl(opts.url);
    this.base = base;
    const timeoutMs = opts.timeoutMs ?? 120_000;
    // AbortSignal.timeout throws a RangeError at the first request for anything else.
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2_147_483_647)
      throw new UsageError(`timeout must be from 1 ms to 2147483647 ms (24.8 days), not ${timeoutMs}`);
    const merged: Record<string, string> = { ...headers, ...opts.headers };
    if (opts.authorization !== undefined) merged.authorization = opts.authorization;
    // An Accept-Encoding the operator set with --header stays as it is.
    if (!opts.compressedResponses && !Object.keys(merged).some((k) => k.toLowerCase() === 'accept-encoding')) merged['accept-encoding'] = 'identity';
    // The CLI's transport by default too (node:http for ordinary requests), so that library users and the
    // benchmarks measure what an operator runs.
    this.http = { fetch: opts.fetch ?? createTlsFetch(), timeoutMs, headers: merged };
  }

  toString(): string {
    return this.base;
  }

  private call(req: Omit<HttpRequest, 'url'> & { path: string }, signal?: AbortSignal, retryTimeouts = true): Promise<HttpResponse> {
    const bytes = this.opts.limits?.bytes;
    const attempt = async (): Promise<HttpResponse> => {
      if (bytes && req.body !== undefined) await bytes.take(typeof req.body === 'string' ? Buffer.byteLength(req.body) : req.body.byteLength, signal);
      const res = await httpRequest(this.http, { ...req, url: `${this.base}${req.path}`, signal });
      // Outside the request, so that its timeout never includes a wait for the budget.
      await bytes?.take(res.bytes, signal);
      return res;
    };
    // The limiter is inside the retries: each attempt is charged, and the backoff holds no budget.
    return withRetry(attempt, {
      policy: this.opts.retry,
      isRetryable: retryTimeouts ? isRetryableTsdError : (err) => isRetryableTsdError(err) && !isTimeout(err),
      signal,
      onRetry: this.opts.onRetry,
    });
  }

  private async json<T>(path: string, schema: v.Schema<T>, opts: CallOptions & { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<T> {
    const res = await this.call(
      {
        method: opts.method ?? 'GET',
        path,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        headers: opts.body === undefined ? undefined : { 'content-type': 'application/json' },
      },
      opts.signal,
    );
    let doc: unknown;
    try {
      doc = JSON.parse(res.text);
    } catch {
      throw new TsdResponseInvalidError(`${this.base}${path}`, 'not JSON');
    }
    const r = schema.safeParse(doc);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new TsdResponseInvalidError(`${this.base}${path}`, `field '${issue?.path.join('.')}' ${issue?.message}`);
    }
    return r.data;
  }

  async version(opts?: CallOptions): Promise<string> {
    return (await this.json('/api/version', versionSchema, opts)).version;
  }

  /** Effective configuration, every value as a string. */
  async config(opts?: CallOptions): Promise<Record<string, string>> {
    const raw = await this.json('/api/config', configSchema, opts);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
  }

  async aggregators(opts?: CallOptions): Promise<string[]> {
    return this.json('/api/aggregators', stringArray, opts);
  }

  async suggest(type: 'metrics' | 'tagk' | 'tagv', prefix: string, max: number, opts?: CallOptions): Promise<string[]> {
    const q = new URLSearchParams({ type, q: prefix, max: String(max) });
    return this.json(`/api/suggest?${q}`, stringArray, opts);
  }

  /** Tag sets of up to `limit` series of a metric, read from the data table (no meta table needed). */
  async sampleSeriesTags(metric: string, limit: number, opts?: CallOptions): Promise<Array<Record<string, string>>> {
    const body = { metric, useMeta: false, limit };
    const res = await this.json('/api/search/lookup', lookupSchema, { ...opts, method: 'POST', body });
    return res.results.map((r) => r.tags);
  }

  /**
   * Raw points of every series matching the query: aggregator none, millisecond resolution. With
   * `retryTimeouts: false`, a query that times out is not asked again (the caller has a better next step).
   */
  async queryRaw(q: RawQuery, opts: CallOptions & { maxBytes?: number; retryTimeouts?: boolean } = {}): Promise<{ series: QueriedSeries[]; bytes: number }> {
    const sub: Record<string, unknown> = { aggregator: 'none', metric: q.metric };
    if (q.filters && q.filters.length > 0) sub.filters = q.filters;
    if (q.explicitTags) sub.explicitTags = true;
    // The TSD refuses end == start ("End time must be greater than the start time"): ask for one more
    // millisecond and drop it below.
    const end = Math.max(q.end, q.start + 1);
    // Annotations come from the same row scan at no extra cost, and so do the TSUIDs (the source's UIDs,
    // whose metadata a backup reads: backup/metadata-collector.ts).
    const range = sentRange(q.start, end);
    const body = JSON.stringify({ start: range.start, end: range.end, msResolution: true, showTSUIDs: true, queries: [sub] });
    const path = '/api/query?arrays';
    const res = await this.call(
      { method: 'POST', path, body, headers: { 'content-type': 'application/json' }, maxBytes: opts.maxBytes },
      opts.signal,
      opts.retryTimeouts,
    );
    const series = parseSeries(res.text, `${this.base}${path}`);
    if (end !== q.end || range.widened) for (const s of series) keepWithin(s, q.start, q.end);
    await this.opts.limits?.points?.take(
      series.reduce((n, s) => n + s.timestamps.length, 0),
      opts.signal,
    );
    return { series, bytes: res.bytes };
  }

  /**
   * Raw points of several whole metrics over one window, in one request of one sub-query per metric, asked
   * exactly as queryRaw asks one: each series of the answer names its metric (aggregator none merges
   * nothing). A series of a metric that was not asked makes the answer invalid.
   */
  async queryRawMetrics(
    metrics: readonly string[],
    start: number,
    qEnd: number,
    opts: CallOptions & { maxBytes?: number } = {},
  ): Promise<{ series: Map<string, QueriedSeries[]>; bytes: number }> {
    const end = Math.max(qEnd, start + 1);
    const range = sentRange(start, end);
    const queries = metrics.map((metric) => ({ aggregator: 'none', metric }));
    const body = JSON.stringify({ start: range.start, end: range.end, msResolution: true, showTSUIDs: true, queries });
    const path = '/api/query?arrays';
    const res = await this.call({ method: 'POST', path, body, headers: { 'content-type': 'application/json' }, maxBytes: opts.maxBytes }, opts.signal);
    const out = new Map<string, QueriedSeries[]>(metrics.map((m) => [m, []]));
    let points = 0;
    for (const s of parseSeries(res.text, `${this.base}${path}`)) {
      const list = out.get(s.metric);
      if (!list) throw new TsdResponseInvalidError(`${this.base}${path}`, `a series of metric '${s.metric}', which was not asked`);
      if (end !== qEnd || range.widened) keepWithin(s, start, qEnd);
      points += s.timestamps.length;
      list.push(s);
    }
    await this.opts.limits?.points?.take(points, opts.signal);
    return { series: out, bytes: res.bytes };
  }

  /**
   * The number of points the TSD holds for the query, counted by the TSD (sum of per-series counts).
   * A range below 2^32 ms is widened (query-time.ts) and may then count points outside it.
   */
  async countPoints(q: RawQuery, opts: CallOptions = {}): Promise<number> {
    return this.countAll('sum', q, sentRange(q.start, q.end), opts);
  }

  /** The one figure of the query's series under `aggregator` over a 0all-count downsample. */
  private async countAll(
    aggregator: 'sum' | 'count',
    q: Pick<RawQuery, 'metric' | 'filters'> | Array<Pick<RawQuery, 'metric' | 'filters'>>,
    range: SentRange,
    opts: CallOptions,
  ): Promise<number> {
    // One sub-query per metric, summed: the count of several metrics costs one request.
    const subs = (Array.isArray(q) ? q : [q]).map((one) => {
      const sub: Record<string, unknown> = { aggregator, metric: one.metric, downsample: '0all-count' };
      // Without group-by the whole count is one series, however many series the filters match.
      if (one.filters && one.filters.length > 0) sub.filters = one.filters.map((f) => ({ ...f, groupBy: false }));
      return sub;
    });
    const body = JSON.stringify({ start: range.start, end: range.end, msResolution: true, noAnnotations: true, queries: subs });
    const path = '/api/query?arrays';
    const res = await this.call({ method: 'POST', path, body, headers: { 'content-type': 'application/json' } }, opts.signal);
    let total = 0;
    for (const s of parseSeries(res.text, `${this.base}${path}`, { raw: false })) for (const v of s.values) total += Number(v);
    return total;
  }

  /**
   * How many series a raw query of [start, end] makes the TSD serialize, counted by the TSD: each
   * series is downsampled to one count, and the "count" aggregator counts the series that have one. The
   * answer is one value however many series there are, so it is safe where a raw query of that many
   * series would hang (fetch/series-count.ts). Measured on 2.4.1: a raw query serializes every series
   * with a row in its scan, which runs from the hour of `start` to an hour past `end`, even a series
   * without a point in [start, end] (an empty window just before 16,500 series hung). So the count spans
   * from the hour of `start` to two hours past `end`: every such row's points, maybe a few more series.
   */
  async countSeries(q: RawQuery, opts: CallOptions & SeriesCountOptions = {}): Promise<number> {
    return this.countAll('count', q, opts.withPoints ? sentRange(q.start, q.end) : scannedRange(q.start, q.end), opts);
  }

  /** As countSeries, for a raw query of several whole metrics at once (one request). */
  async countSeriesOfMetrics(metrics: readonly string[], start: number, end: number, opts: CallOptions = {}): Promise<number> {
    return this.countAll(
      'count',
      metrics.map((metric) => ({ metric })),
      scannedRange(start, end),
      opts,
    );
  }

  /**
   * Points per bucket of `bucketMs` in [start, end], counted by the TSD over every series of the metric
   * (sum of counts). Buckets without a point are absent: the default fill policy emits nothing for them.
   * Measured on 2.4.1: buckets are aligned on multiples of their size since the epoch; one that begins
   * before `start` is dropped (with its count) by the serializer, so `start` should be on a boundary; and
   * points just after `end`, in the scanned rows, are counted in the last bucket. A range below 2^32 ms
   * is widened (query-time.ts). So an absent bucket proves no point, a present one only maybe some.
   */
  async countBuckets(
    q: { metric: string; start: number; end: number },
    bucketMs: number,
    opts: CallOptions = {},
  ): Promise<Array<{ ts: number; count: number }>> {
    if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) throw new RangeError(`bad bucket size ${bucketMs} ms`);
    const sub = { aggregator: 'sum', metric: q.metric, downsample: `${bucketMs}ms-count` };
    const range = sentRange(q.start, q.end);
    const body = JSON.stringify({ start: range.start, end: range.end, msResolution: true, noAnnotations: true, queries: [sub] });
    const path = '/api/query?arrays';
    const res = await this.call({ method: 'POST', path, body, headers: { 'content-type': 'application/json' } }, opts.signal);
    const out: Array<{ ts: number; count: number }> = [];
    for (const s of parseSeries(res.text, `${this.base}${path}`, { raw: false })) {
      s.timestamps.forEach((ts, i) => out.push({ ts, count: Number(s.values[i]) }));
    }
    return out;
  }

  /**
   * The count and the sum of the points in each bucket of `bucketMs` in [start, end], over every series
   * of the metric. zimsum adds series without interpolating (a series without a point in a bucket adds
   * nothing), so each figure is that of the stored points. The same bucket quirks as countBuckets apply.
   * `sum` is absent when the TSD cannot give it: a sum beyond the double range fails the whole query
   * with 400 "Got Infinity" (SpanGroup.doubleValue), so only the counts are known then.
   */
  async bucketStats(
    q: { metric: string; start: number; end: number },
    bucketMs: number,
    opts: CallOptions = {},
  ): Promise<Map<number, { count: number; sum?: number }>> {
    if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) throw new RangeError(`bad bucket size ${bucketMs} ms`);
    const range = sentRange(q.start, q.end);
    const path = '/api/query?arrays';
    const out = new Map<number, { count: number; sum?: number }>();
    // Two requests rather than two sub-queries: an answer does not say which sub-query a series is of.
    for (const fn of ['count', 'sum'] as const) {
      const sub = { aggregator: 'zimsum', metric: q.metric, downsample: `${bucketMs}ms-${fn}` };
      const body = JSON.stringify({ start: range.start, end: range.end, msResolution: true, noAnnotations: true, queries: [sub] });
      let res: HttpResponse;
      try {
        res = await this.call({ method: 'POST', path, body, headers: { 'content-type': 'application/json' } }, opts.signal);
      } catch (err) {
        if (fn === 'sum' && err instanceof TsdHttpError && err.status === 400 && /^Got (-?Infinity|NaN)/.test(err.tsdMessage)) {
          for (const b of out.values()) delete b.sum;
          return out;
        }
        throw err;
      }
      for (const s of parseSeries(res.text, `${this.base}${path}`, { raw: false })) {
        s.timestamps.forEach((ts, i) => {
          const b = out.get(ts) ?? { count: 0, sum: 0 };
          b[fn] = (b[fn] ?? 0) + Number(s.values[i]);
          out.set(ts, b);
        });
      }
    }
    return out;
  }

  /**
   * The global annotations (those without a series) that start in [start, end]. OpenTSDB 2.4.1 lists them
   * only inside the answer of a query that returns a series (HttpJsonSerializer writes them per series),
   * so `metric` must have a point in the range; the query counts its points in one bucket to stay small.
   * The answer is undefined when the metric had no point there.
   */
  async globalAnnotations(q: { metric: string; start: number; end: number }, opts: CallOptions = {}): Promise<TsdAnnotation[] | undefined> {
    const sub = { aggregator: 'sum', metric: q.metric, downsample: '0all-count' };
    const range = sentRange(q.start, Math.max(q.end, q.start + 1));
    const body = JSON.stringify({ start: range.start, end: range.end, msResolution: true, globalAnnotations: true, queries: [sub] });
    const path = '/api/query?arrays';
    const res = await this.call({ method: 'POST', path, body, headers: { 'content-type': 'application/json' } }, opts.signal);
    const series = parseSeries(res.text, `${this.base}${path}`, { raw: false });
    if (series.length === 0) return undefined;
    return (series[0]!.globalAnnotations ?? []).filter((a) => annotationMs(a.startTime) >= q.start && annotationMs(a.startTime) <= q.end);
  }

  /** A JSON request to another endpoint (uid and ts metadata, annotations: opentsdb/meta-api.ts). */
  async request(req: { method: 'GET' | 'POST'; path: string; body?: unknown; allowStatus?: readonly number[] }, opts: CallOptions = {}): Promise<HttpResponse> {
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    return this.call(
      {
        method: req.method,
        path: req.path,
        body,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        allowStatus: req.allowStatus,
      },
      opts.signal,
    );
  }

  /** Creates metric names, tag keys and tag values; names that already exist count as success. */
  async assignUids(names: { metric?: string[]; tagk?: string[]; tagv?: string[] }, opts: CallOptions = {}): Promise<AssignResult> {
    const path = '/api/uid/assign';
    const res = await this.call(
      { method: 'POST', path, body: JSON.stringify(names), headers: { 'content-type': 'application/json' }, allowStatus: [400] },
      opts.signal,
    );
    let doc: Record<string, Record<string, string> | undefined>;
    try {
      doc = JSON.parse(res.text) as typeof doc;
    } catch {
      throw new TsdHttpError(`${this.base}${path}`, res.status, errorMessageOf(res.text));
    }
    const out: AssignResult = { created: [], existing: [], failed: [], uids: [] };
    for (const type of UID_TYPES) {
      for (const [name, uid] of Object.entries(doc[type] ?? {})) {
        out.created.push(name);
        out.uids.push({ type, name, uid });
      }
      for (const [name, error] of Object.entries(doc[`${type}_errors`] ?? {})) {
        // The API says "already exists" (and the UID) only in the message; there is no field to read instead.
        if (/already exists/i.test(error)) {
          out.existing.push(name);
          const uid = /with UID: ([0-9A-Fa-f]+)/.exec(error)?.[1];
          if (uid) out.uids.push({ type, name, uid: uid.toUpperCase() });
        } else out.failed.push({ type, name, error });
      }
    }
    if (res.status === 400 && out.created.length + out.existing.length + out.failed.length === 0) {
      throw new TsdHttpError(`${this.base}${path}`, 400, errorMessageOf(res.text));
    }
    return out;
  }

  /**
   * Writes a prepared JSON array body with ?details&sync, so every point's fate is known.
   * `gzip` says the body is gzip-compressed; `points`, how many points it holds (for --limit-points).
   */
  async put(body: Uint8Array, opts: CallOptions & { gzip?: boolean; syncTimeoutMs?: number; points?: number } = {}): Promise<PutResult> {
    await this.opts.limits?.points?.take(opts.points ?? 0, opts.signal);
    const flags = opts.syncTimeoutMs ? `details&sync&sync_timeout=${opts.syncTimeoutMs}` : 'details&sync';
    const path = `/api/put?${flags}`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.gzip) headers['content-encoding'] = 'gzip';
    const res = await this.call({ method: 'POST', path, body, headers, allowStatus: [400] }, opts.signal);
    if (res.status === 204) throw new TsdResponseInvalidError(`${this.base}${path}`, 'no put details in the answer');
    // Loaded here: its JSON parser (lossless-json, ~11 ms of CPU to load) serves only restores.
    const { parsePutResult } = await import('./put-result.js');
    try {
      return parsePutResult(res.text, `${this.base}${path}`);
    } catch (err) {
      // A 400 without details is a request-level refusal (body too large, chunked, bad JSON).
      if (res.status === 400) throw new TsdHttpError(`${this.base}${path}`, 400, errorMessageOf(res.text), { cause: err });
      throw err;
    }
  }
}
