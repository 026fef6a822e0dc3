/**
 * The TSD state shared by the RPC handlers: options, the three UID tables, the data table,
 * and TSDB.addPoint's validation (TSDB.checkTimestampAndTags, IncomingDataPoints.checkMetricAndTags,
 * Tags.validateString, IncomingDataPoints.rowKeyTemplate).
 */
import type { StoredAnnotation } from './rpc-annotation.js';
import type { MetaStore } from './rpc-meta.js';
import { IllegalArgument } from './errors.js';
import { javaDoubleToStringCached, javaDoubleToStringShortest } from './java-double.js';
import { javaHashMapOrder, javaMapToString } from './java-hashmap.js';
import { javaBytesToString, type StoredValue, valueBytes, valueFlags } from './java-number.js';
import type { ResolvedOptions } from './options.js';
import { DataStore, type Series } from './store.js';
import { UniqueIdTable, type UidKind } from './uid.js';

export interface TsdStats {
  queries: number;
  puts: number;
  pointsWritten: number;
  requests: Array<{ method: string; path: string; bytes: number; acceptEncoding?: string }>;
}

/** A parsed request as the RPC handlers see it (AbstractHttpQuery). */
export interface TsdRequest {
  method: string;
  uri: string;
  /** decoded path, e.g. "/api/query" */
  path: string;
  /** QueryStringDecoder parameters (presence flags have value "") */
  params: Map<string, string[]>;
  /** request body decoded as text (after Content-Encoding) */
  content: string;
  /** explodePath() */
  pathParts: string[];
  apiVersion: number;
  /** the Accept-Encoding header, for response compression */
  acceptEncoding: string;
}

export interface TsdResponse {
  status: number;
  body: string;
  /** never answer (the request hangs) */
  hang?: boolean;
}

export function hasParam(req: TsdRequest, name: string): boolean {
  return req.params.has(name);
}

/** getQueryStringParam: the last value, or null. */
export function getParam(req: TsdRequest, name: string): string | null {
  const v = req.params.get(name);
  return v ? v[v.length - 1]! : null;
}

/** Java Character.isLetter on one UTF-16 code unit. */
function isJavaLetter(code: number): boolean {
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return /\p{L}/u.test(String.fromCharCode(code));
}

export class TsdCore {
  readonly uids: Record<UidKind, UniqueIdTable>;
  readonly store: DataStore;
  readonly stats: TsdStats = { queries: 0, puts: 0, pointsWritten: 0, requests: [] };
  /** Stored through /api/annotation (rpc-annotation.ts). */
  annotations: StoredAnnotation[] = [];
  /** UID and TS metadata stored through /api/uid/uidmeta and /api/uid/tsmeta (rpc-meta.ts). */
  readonly meta: MetaStore = { uid: new Map(), ts: new Map() };

  constructor(readonly opts: ResolvedOptions) {
    this.uids = {
      metrics: new UniqueIdTable('metrics', opts.uidTable),
      tagk: new UniqueIdTable('tagk', opts.uidTable),
      tagv: new UniqueIdTable('tagv', opts.uidTable),
    };
    this.store = new DataStore({ fixDuplicates: opts.fixDuplicates });
  }

  /** Double.toString of the emulated JVM. */
  formatDouble(x: number): string {
    return this.opts.doubleFormat === 'jdk19+' ? javaDoubleToStringShortest(x) : javaDoubleToStringCached(x);
  }

  /** Tags.validateString. */
  validateString(what: string, s: string | null): void {
    if (s === null) throw new IllegalArgument(`Invalid ${what}: null`);
    if (s === '') throw new IllegalArgument(`Invalid ${what}: empty string`);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const ok =
        (c >= 97 && c <= 122) ||
        (c >= 65 && c <= 90) ||
        (c >= 48 && c <= 57) ||
        c === 45 ||
        c === 95 ||
        c === 46 ||
        c === 47 ||
        isJavaLetter(c) ||
        this.opts.allowSpecialChars.includes(s[i]!);
      if (!ok) throw new IllegalArgument(`Invalid ${what} ("${s}"): illegal character: ${s[i]}`);
    }
  }

  /**
   * TSDB.addPointInternal up to the storage write. `tags` are in Java HashMap iteration order.
   * Throws IllegalArgument, NoSuchUniqueName or IllegalState like the real code path.
   */
  addPoint(metric: string, timestamp: bigint, value: StoredValue, tags: Array<[string, string | null]>): Series {
    const SECOND_MASK_LIMIT = 1n << 32n;
    const isMs = timestamp >= SECOND_MASK_LIMIT;
    if (timestamp < 0n || (isMs && timestamp > 9999999999999n)) {
      throw new IllegalArgument(
        `${timestamp < 0n ? 'negative ' : 'bad'} timestamp=${timestamp} when trying to add value=${javaBytesToString(valueBytes(value))}/${valueFlags(value)} to metric=${metric}, tags=${javaMapToString(tags)}`,
      );
    }
    if (tags.length <= 0) throw new IllegalArgument(`Need at least one tag (metric=${metric}, tags=${javaMapToString(tags)})`);
    if (tags.length > this.opts.maxTags) {
      throw new IllegalArgument(`Too many tags: ${tags.length} maximum allowed: ${this.opts.maxTags}, tags: ${javaMapToString(tags)}`);
    }
    this.validateString('metric name', metric);
    for (const [k, v] of tags) {
      this.validateString(`tag name with value [${v}]`, k);
      this.validateString(`tag value with key [${k}]`, v);
    }
    const metricUid = this.opts.autoCreateMetrics ? this.uids.metrics.getOrCreateId(metric) : this.uids.metrics.getId(metric);
    const pairs: Array<[number, number]> = [];
    for (const [k, v] of tags) {
      const kid = this.opts.autoCreateTagks ? this.uids.tagk.getOrCreateId(k) : this.uids.tagk.getId(k);
      const vid = this.opts.autoCreateTagvs ? this.uids.tagv.getOrCreateId(v!) : this.uids.tagv.getId(v!);
      pairs.push([kid, vid]);
    }
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    // two tag keys with the same UID (a latin-1 clash) give a row key the real TSD also builds
    const series = this.store.getOrCreateSeries(metricUid, pairs);
    const ms = isMs ? Number(timestamp) : Number(timestamp) * 1000;
    this.store.write(series, ms, isMs, value);
    this.stats.pointsWritten++;
    return series;
  }

  /** Resolved tag names of a series, in UID order (ByteMap order of the row key). */
  seriesTags(s: Pick<Series, 'tagUids'>): Array<[string, string]> {
    return s.tagUids.map(([k, v]) => [this.uids.tagk.getName(k), this.uids.tagv.getName(v)]);
  }

  /**
   * The tags map a query answer shows for a set of resolved tag pairs: SpanGroup.resolveTags
   * builds HashMap(n) in UID order, DPsResolver copies it with putAll into a new HashMap.
   */
  static answerTagOrder(pairsInUidOrder: Array<[string, string]>): Array<[string, string]> {
    const first = javaHashMapOrder(
      pairsInUidOrder.map(([k]) => k),
      { kind: 'capacity', initialCapacity: pairsInUidOrder.length },
    );
    const second = javaHashMapOrder(first, { kind: 'copy' });
    const m = new Map(pairsInUidOrder);
    return second.map((k) => [k, m.get(k)!]);
  }
}
