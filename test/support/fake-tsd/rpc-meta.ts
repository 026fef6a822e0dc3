/**
 * /api/uid/uidmeta and /api/uid/tsmeta (UniqueIdRpc, UIDMeta, TSMeta, 2.4.1), the part a backup meets,
 * as measured on the real 2.4.1:
 * - GET uidmeta?uid=&type= answers the UID's metadata, with empty fields, created 0 and custom null when
 *   none was stored; an unknown UID is 404 "Could not find the requested UID". POST {uid,type,...} merges
 *   the given fields and answers the result.
 * - GET tsmeta?m=metric{tags} lists the TS metas of the metric's series whose tags include the given ones
 *   ([] when none); POST tsmeta?m=metric{tags}&create=true (body without tsuid) resolves the TSUID by name
 *   (404 when a name is unknown) and creates or merges. Unset max and min are written "NaN".
 * Not modelled: DELETE, PUT (overwrite), GET tsmeta?tsuid=, created times, counters.
 */
import { BadRequest, NoSuchUniqueName } from './errors.js';
import { JNumber, JObject, JsonBindError, asJavaString, asJavaStringMap, jsonString, parseJson } from './json.js';
import { getParam, type TsdCore, type TsdRequest, type TsdResponse } from './core.js';
import { makeTsuid } from './store.js';
import { uidToHex, type UniqueIdTable } from './uid.js';

interface Fields {
  displayName: string;
  description: string;
  notes: string;
  custom: Array<[string, string]> | null;
  units?: string;
  dataType?: string;
  retention?: number;
  max?: number;
  min?: number;
}

const EMPTY: Fields = { displayName: '', description: '', notes: '', custom: null };

export interface MetaStore {
  uid: Map<string, Fields>;
  ts: Map<string, { metricUid: number; tagUids: Array<[number, number]>; fields: Fields }>;
}

function body(req: TsdRequest): JObject {
  try {
    const v = parseJson(req.content);
    if (v instanceof JObject) return v;
  } catch (e) {
    if (!(e instanceof JsonBindError)) throw e;
  }
  throw new BadRequest(400, 'Unable to parse the given JSON');
}

function merge(old: Fields, v: JObject): Fields {
  const text = (f: string, was: string | undefined) => (v.has(f) ? (asJavaString(v.get(f), f) ?? '') : was);
  const out: Fields = {
    ...old,
    displayName: text('displayName', old.displayName)!,
    description: text('description', old.description)!,
    notes: text('notes', old.notes)!,
  };
  if (v.has('custom')) out.custom = (asJavaStringMap(v.get('custom'), 'custom') ?? []).map(([k, x]) => [k, x ?? '']);
  for (const f of ['units', 'dataType'] as const) if (v.has(f)) out[f] = text(f, '');
  for (const f of ['retention', 'max', 'min'] as const) {
    const x = v.get(f);
    if (x instanceof JNumber) out[f] = Number(x.text);
    else if (typeof x === 'string') out[f] = Number(x);
  }
  return out;
}

function table(core: TsdCore, type: string | null): UniqueIdTable {
  const t = (type ?? '').toLowerCase();
  if (t === 'metric') return core.uids.metrics;
  if (t === 'tagk') return core.uids.tagk;
  if (t === 'tagv') return core.uids.tagv;
  throw new BadRequest(400, `Invalid type requested: ${type}`);
}

function uidMetaJson(type: string, uid: string, name: string, f: Fields): string {
  const custom = f.custom ? `{${f.custom.map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`).join(',')}}` : 'null';
  return `{"uid":${jsonString(uid)},"type":${jsonString(type.toUpperCase())},"name":${jsonString(name)},"description":${jsonString(f.description)},"notes":${jsonString(f.notes)},"created":0,"custom":${custom},"displayName":${jsonString(f.displayName)}}`;
}

function uidMetaOf(core: TsdCore, type: string, id: number): string {
  const uid = uidToHex(id);
  return uidMetaJson(type, uid, table(core, type).getName(id), core.meta.uid.get(`${type}\0${uid}`) ?? EMPTY);
}

export function handleUidMeta(core: TsdCore, req: TsdRequest): TsdResponse {
  if (req.method === 'GET') {
    const uid = getParam(req, 'uid');
    const type = (getParam(req, 'type') ?? '').toLowerCase();
    if (!uid || !type) throw new BadRequest(400, `Missing parameter <code>${uid ? 'type' : 'uid'}</code>`);
    try {
      return { status: 200, body: uidMetaOf(core, type, parseInt(uid, 16)) };
    } catch (e) {
      if (e instanceof BadRequest) throw e;
      throw new BadRequest(404, 'Could not find the requested UID');
    }
  }
  if (req.method !== 'POST') throw new BadRequest(501, `fake-tsd: ${req.method} ${req.path} is not implemented`);
  const v = body(req);
  const uid = (asJavaString(v.get('uid'), 'uid') ?? '').toUpperCase();
  const type = (asJavaString(v.get('type'), 'type') ?? '').toLowerCase();
  const id = parseInt(uid, 16);
  try {
    table(core, type).getName(id);
  } catch (e) {
    if (e instanceof BadRequest) throw e;
    throw new BadRequest(404, 'Could not find the requested UID');
  }
  const key = `${type}\0${uid}`;
  core.meta.uid.set(key, merge(core.meta.uid.get(key) ?? EMPTY, v));
  return { status: 200, body: uidMetaOf(core, type, id) };
}

/** metric{k=v,...} as Tags.parseWithMetric reads it. */
function parseSpec(spec: string): { metric: string; tags: Array<[string, string]> } {
  const open = spec.indexOf('{');
  if (open === -1) return { metric: spec, tags: [] };
  if (!spec.endsWith('}')) throw new BadRequest(400, `Missing '}' at the end of: ${spec}`);
  const inner = spec.slice(open + 1, -1);
  const tags = inner === '' ? [] : inner.split(',').map((p) => p.split('=') as [string, string]);
  return { metric: spec.slice(0, open), tags };
}

function tsMetaJson(core: TsdCore, tsuid: string, metricUid: number, tagUids: Array<[number, number]>, f: Fields): string {
  const tags = tagUids.map(([k, v]) => `${uidMetaOf(core, 'tagk', k)},${uidMetaOf(core, 'tagv', v)}`).join(',');
  const custom = f.custom ? `{${f.custom.map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`).join(',')}}` : 'null';
  const dbl = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '"NaN"' : String(x));
  return (
    `{"tsuid":${jsonString(tsuid)},"metric":${uidMetaOf(core, 'metric', metricUid)},"tags":[${tags}],"description":${jsonString(f.description)},"notes":${jsonString(f.notes)},"created":0,` +
    `"custom":${custom},"units":${jsonString(f.units ?? '')},"retention":${f.retention ?? 0},"max":${dbl(f.max)},"min":${dbl(f.min)},"displayName":${jsonString(f.displayName)},"dataType":${jsonString(f.dataType ?? '')},"lastReceived":0,"totalDatapoints":0}`
  );
}

export function handleTsMeta(core: TsdCore, req: TsdRequest): TsdResponse {
  const spec = getParam(req, 'm');
  if (!spec) throw new BadRequest(501, 'fake-tsd: tsmeta without ?m= is not implemented');
  const { metric, tags } = parseSpec(spec);
  let metricUid: number;
  let tagUids: Array<[number, number]>;
  try {
    metricUid = core.uids.metrics.getId(metric);
    tagUids = tags.map(([k, v]) => [core.uids.tagk.getId(k), core.uids.tagv.getId(v)] as [number, number]).sort((a, b) => a[0] - b[0]);
  } catch (e) {
    if (e instanceof NoSuchUniqueName) throw new BadRequest(404, 'Unable to find one of the UIDs', e.message);
    throw e;
  }
  if (req.method === 'GET') {
    const out: string[] = [];
    for (const [tsuid, s] of core.meta.ts) {
      if (s.metricUid !== metricUid) continue;
      if (!tagUids.every(([k, v]) => s.tagUids.some(([k2, v2]) => k === k2 && v === v2))) continue;
      out.push(tsMetaJson(core, tsuid, s.metricUid, s.tagUids, s.fields));
    }
    return { status: 200, body: `[${out.join(',')}]` };
  }
  if (req.method !== 'POST') throw new BadRequest(501, `fake-tsd: ${req.method} ${req.path} is not implemented`);
  const tsuid = makeTsuid(metricUid, tagUids);
  const exists = core.meta.ts.has(tsuid);
  if (!exists && getParam(req, 'create') !== 'true') throw new BadRequest(400, 'Could not find TSMeta, specify "create=true" to create a new one.');
  const fields = merge(core.meta.ts.get(tsuid)?.fields ?? EMPTY, body(req));
  core.meta.ts.set(tsuid, { metricUid, tagUids, fields });
  return { status: 200, body: tsMetaJson(core, tsuid, metricUid, tagUids, fields) };
}
