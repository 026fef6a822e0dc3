// UID metadata, time-series metadata and annotations through the TSD's HTTP API (UniqueIdRpc and
// AnnotationRpc of 2.4.1). Measured on the real 2.4.1: GET /api/uid/uidmeta answers a UID without stored
// metadata with empty fields (created 0, custom null) and an unknown UID with 404; GET /api/uid/tsmeta?m=M
// scans the meta table for M and answers [] when it holds nothing; a TS meta's unset max and min are "NaN".

import { setOwn } from '../format/series.js';
import * as v from '../validation/schema.js';
import type { CallOptions, TsdClient } from './client.js';
import { isRetryableTsdError, TsdHttpError, TsdResponseInvalidError } from './errors.js';

export type UidType = 'metric' | 'tagk' | 'tagv';

type Client = Pick<TsdClient, 'request' | 'toString'>;

const uidMetaSchema = v.object({
  uid: v.string(),
  type: v.string(),
  name: v.string(),
  displayName: v.string().nullish(),
  description: v.string().nullish(),
  notes: v.string().nullish(),
  custom: v.record(v.string()).nullish(),
});

const tsMetaSchema = v.object({
  tsuid: v.string(),
  metric: uidMetaSchema,
  tags: v.array(uidMetaSchema),
  displayName: v.string().nullish(),
  description: v.string().nullish(),
  notes: v.string().nullish(),
  custom: v.record(v.string()).nullish(),
  units: v.string().nullish(),
  dataType: v.string().nullish(),
  retention: v.number().int().nullish(),
  max: v.union([v.number(), v.string()]).nullish(),
  min: v.union([v.number(), v.string()]).nullish(),
});

/** The user-editable fields of UID and TS metadata. */
export interface MetaFields {
  displayName: string;
  description: string;
  notes: string;
  custom?: Record<string, string>;
}

export interface SourceUidMeta extends MetaFields {
  type: UidType;
  name: string;
}

export interface SourceTsMeta extends MetaFields {
  metric: string;
  tags: Record<string, string>;
  units: string;
  dataType: string;
  retention: number;
  max: number | 'NaN';
  min: number | 'NaN';
}

function parse<T>(client: Client, path: string, text: string, schema: v.Schema<T>): T {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new TsdResponseInvalidError(`${client}${path}`, 'not JSON');
  }
  const r = schema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new TsdResponseInvalidError(`${client}${path}`, `field '${issue?.path.join('.')}' ${issue?.message}`);
  }
  return r.data;
}

function fields(m: { displayName?: string | null; description?: string | null; notes?: string | null; custom?: Record<string, string> | null }): MetaFields {
  const custom = m.custom && Object.keys(m.custom).length > 0 ? m.custom : undefined;
  return { displayName: m.displayName ?? '', description: m.description ?? '', notes: m.notes ?? '', ...(custom ? { custom } : {}) };
}

/** Metadata left at its defaults: not worth a place in a backup. */
export function isDefaultMeta(m: MetaFields): boolean {
  return m.displayName === '' && m.description === '' && m.notes === '' && m.custom === undefined;
}

/** The metadata of one UID of the source; undefined when the UID no longer exists (404). */
export async function getUidMeta(client: Client, type: UidType, uid: string, opts: CallOptions = {}): Promise<SourceUidMeta | undefined> {
  const path = `/api/uid/uidmeta?${new URLSearchParams({ uid, type })}`;
  const res = await client.request({ method: 'GET', path, allowStatus: [404] }, opts);
  if (res.status === 404) return undefined;
  const m = parse(client, path, res.text, uidMetaSchema);
  return { type, name: m.name, ...fields(m) };
}

function doubleOf(v: number | string | null | undefined): number | 'NaN' {
  if (typeof v === 'number') return v;
  const n = Number(v ?? 'NaN');
  return Number.isFinite(n) ? n : 'NaN';
}

/** Every TS meta the source's meta table holds for a metric (one scan of that table). */
export async function listTsMeta(client: Client, metric: string, opts: CallOptions = {}): Promise<SourceTsMeta[]> {
  const path = `/api/uid/tsmeta?${new URLSearchParams({ m: metric })}`;
  const res = await client.request({ method: 'GET', path }, opts);
  return parse(client, path, res.text, v.array(tsMetaSchema)).map((m) => {
    const tags: Record<string, string> = {};
    // The tags come as UID metas: each tag key followed by its value.
    for (let i = 0; i + 1 < m.tags.length; i += 2) setOwn(tags, m.tags[i]!.name, m.tags[i + 1]!.name);
    return {
      metric: m.metric.name,
      tags,
      ...fields(m),
      units: m.units ?? '',
      dataType: m.dataType ?? '',
      retention: m.retention ?? 0,
      max: doubleOf(m.max),
      min: doubleOf(m.min),
    };
  });
}

/**
 * Whether the source's meta table holds any row at all: one `GET /api/search/lookup?m=*&limit=1`, which scans
 * tsdb-meta (TimeSeriesLookup with use_meta, 2.4.1) and stops at the first row. Every TS meta lives in that
 * table, so an empty answer means there is none to list, and a backup of many metrics can skip its one
 * tsmeta scan per metric. A TSD that cannot answer the lookup (an error that is not worth retrying) gives
 * undefined: not known, ask per metric.
 */
export async function metaTableHasRows(client: Client, opts: CallOptions = {}): Promise<boolean | undefined> {
  const path = '/api/search/lookup?m=*&limit=1';
  let res;
  try {
    res = await client.request({ method: 'GET', path }, opts);
  } catch (err) {
    if (err instanceof TsdHttpError && !isRetryableTsdError(err)) return undefined;
    throw err;
  }
  return parse(client, path, res.text, lookupSchema).results.length > 0;
}

const lookupSchema = v.object({ results: v.array(v.unknown()) });

/** OpenTSDB's series notation for the `m` parameter: metric{k=v,...}. */
function seriesSpec(metric: string, tags: Record<string, string>): string {
  return `${metric}{${Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}}`;
}

/** Writes one UID's metadata (POST merges the given fields into what the target holds). */
export async function postUidMeta(client: Client, uid: string, meta: SourceUidMeta, opts: CallOptions = {}): Promise<void> {
  const { type, name: _name, ...rest } = meta;
  await client.request({ method: 'POST', path: '/api/uid/uidmeta', body: { uid, type, ...rest } }, opts);
}

/** Writes a series' TS metadata, found on the target by name (create=true makes it when absent). */
export async function postTsMeta(client: Client, meta: SourceTsMeta, opts: CallOptions = {}): Promise<void> {
  const { metric, tags, max, min, ...rest } = meta;
  const path = `/api/uid/tsmeta?${new URLSearchParams({ m: seriesSpec(metric, tags), create: 'true' })}`;
  // NaN is not JSON: an unset max or min is left out, and stays unset on the target.
  const body = { ...rest, ...(max !== 'NaN' ? { max } : {}), ...(min !== 'NaN' ? { min } : {}) };
  await client.request({ method: 'POST', path, body }, opts);
}

export interface AnnotationWrite {
  /** Absent: a global annotation. */
  tsuid?: string;
  startTime: number;
  endTime: number;
  description: string;
  notes: string;
  custom?: Record<string, string>;
}

/** Writes one annotation; one with the same TSUID and start time is replaced, never duplicated. */
export async function postAnnotation(client: Client, a: AnnotationWrite, opts: CallOptions = {}): Promise<void> {
  await client.request({ method: 'POST', path: '/api/annotation', body: a }, opts);
}
