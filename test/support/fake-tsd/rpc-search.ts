/**
 * /api/search/lookup (SearchRpc.processLookup + TimeSeriesLookup, 2.4.1).
 * - POST {"metric":"m","tags":[{"key":"host","value":"*"}],"useMeta":false,"limit":n}
 *   or GET ?m=metric{tagk=tagv,...}&limit=n&use_meta=... (GET always scans tsdb-meta);
 * - useMeta=true (the default) reads the tsdb-meta table: a row per series when meta tracking is on, and one
 *   per TS meta stored through /api/uid/tsmeta;
 * - useMeta=false scans the data table and returns one entry PER HOUR ROW (not per series),
 *   in row key order (metric, base time, tags), at most `limit` rows (default 25, 0 = all);
 * - answer: {"type":"LOOKUP","metric":..,"tags":[..]?,"limit":25,"time":1.0,"results":[
 *   {"tsuid","metric","tags"}],"startIndex":0,"totalResults":n}; unknown names -> 404.
 */
import { BadRequest, InternalError } from './errors.js';
import { javaFloatToString } from './java-double.js';
import { javaConcurrentHashMapOrder, javaHashMapOrder } from './java-hashmap.js';
import { asJavaBoolean, asJavaInt, asJavaString, JObject, JsonBindError, parseJson, pairs, RawJson, writeJson, type Writable } from './json.js';
import { getParam, hasParam, type TsdCore, type TsdRequest, type TsdResponse } from './core.js';
import { NoSuchUniqueName } from './errors.js';
import { type Series } from './store.js';

/** A row of the table a lookup scans: a series of the data table, or a row of tsdb-meta. */
type LookupRow = Pick<Series, 'tsuid' | 'metricUid' | 'tagUids'>;

interface LookupQuery {
  metric: string | null;
  tags: Array<[string | null, string | null]> | null;
  useMeta: boolean;
  limit: number;
}

function parseBody(content: string): LookupQuery {
  const q: LookupQuery = { metric: '*', tags: null, useMeta: true, limit: 25 };
  try {
    const v = parseJson(content);
    if (!(v instanceof JObject))
      throw new JsonBindError('Cannot construct instance of `net.opentsdb.search.SearchQuery`', 'com.fasterxml.jackson.databind.exc.MismatchedInputException');
    for (const [k, x] of v.map) {
      const ref = `net.opentsdb.search.SearchQuery["${k}"]`;
      if (k === 'metric') q.metric = asJavaString(x, ref);
      else if (k === 'useMeta') q.useMeta = asJavaBoolean(x, ref);
      else if (k === 'limit') q.limit = asJavaInt(x, ref);
      else if (k === 'tags') {
        if (x === null) q.tags = null;
        else if (!Array.isArray(x))
          throw new JsonBindError(
            'Cannot deserialize instance of `java.util.ArrayList` out of START_OBJECT token',
            'com.fasterxml.jackson.databind.exc.MismatchedInputException',
          );
        else {
          q.tags = x.map((p) => {
            if (!(p instanceof JObject))
              throw new JsonBindError('Cannot construct instance of `net.opentsdb.utils.Pair`', 'com.fasterxml.jackson.databind.exc.MismatchedInputException');
            return [asJavaString(p.get('key'), ref), asJavaString(p.get('value'), ref)];
          });
        }
      }
    }
  } catch (e) {
    if (e instanceof JsonBindError) throw new InternalLookupError(e.javaText);
    throw e;
  }
  return q;
}

/** SearchRpc does not catch JSON errors for search bodies: they end as 500s. */
class InternalLookupError extends Error {}

function parseGet(req: TsdRequest): LookupQuery {
  const m = getParam(req, 'm');
  if (!m) throw new BadRequest(400, 'Missing parameter <code>m</code>');
  const q: LookupQuery = { metric: m, tags: [], useMeta: true, limit: 25 };
  const curly = m.indexOf('{');
  if (curly >= 0) {
    if (!m.endsWith('}')) throw new BadRequest(400, 'Unable to parse query', "Missing '}' at the end of: " + m);
    q.metric = m.slice(0, curly);
    for (const part of m.slice(curly + 1, -1).split(',')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      if (eq <= 0) throw new BadRequest(400, 'Unable to parse query', 'invalid tag: ' + part);
      q.tags!.push([part.slice(0, eq), part.slice(eq + 1)]);
    }
  }
  if (hasParam(req, 'limit')) {
    const l = getParam(req, 'limit')!;
    if (!/^[+-]?\d+$/.test(l)) throw new BadRequest(400, "Unable to convert 'limit' to a valid number");
    q.limit = Number(l);
  }
  return q;
}

export function handleSearch(core: TsdCore, req: TsdRequest): TsdResponse {
  if (req.method !== 'GET' && req.method !== 'POST') throw new BadRequest(400, 'Unsupported method: ' + req.method);
  const base = req.apiVersion > 0 && /^v\d/i.test(req.pathParts[1] ?? '') ? 3 : 2;
  const endpoint = (req.pathParts[base] ?? '').toLowerCase();
  if (endpoint !== 'lookup') {
    if (['tsmeta', 'tsmeta_summary', 'tsuids', 'uidmeta', 'annotation'].includes(endpoint)) {
      throw new BadRequest(400, 'Searching is not enabled', 'Searching is not enabled');
    }
    throw new BadRequest(400, 'Invalid search query type supplied', `Unknown type: ${endpoint}`);
  }
  let q: LookupQuery;
  try {
    q = req.content !== '' ? parseBody(req.content) : parseGet(req);
  } catch (e) {
    if (e instanceof InternalLookupError) throw new InternalError(e.message, 'java.lang.IllegalArgumentException');
    throw e;
  }
  if (q.metric === null && (q.tags === null || q.tags.length < 1)) {
    throw new BadRequest(400, 'Missing metric and tags. Please supply at least one value.');
  }
  const { uids, store } = core;
  let metricUid: number | null = null;
  const keyGroups = new Map<number, Set<number> | null>();
  const valueOnly = new Set<number>();
  try {
    if (q.metric !== null && q.metric !== '' && q.metric !== '*') metricUid = uids.metrics.getId(q.metric);
    for (const [k, v] of q.tags ?? []) {
      const kid = k !== null && k !== '*' ? uids.tagk.getId(k) : null;
      const vid = v !== null && v !== '*' ? uids.tagv.getId(v) : null;
      if (kid === null) {
        if (vid !== null) valueOnly.add(vid);
        continue;
      }
      const cur = keyGroups.get(kid);
      if (vid === null) keyGroups.set(kid, null);
      else if (cur !== null) keyGroups.set(kid, new Set([...(cur ?? []), vid]));
    }
  } catch (e) {
    if (e instanceof NoSuchUniqueName) throw new BadRequest(404, 'Unable to resolve one or more UIDs', e.message);
    throw e;
  }
  const matches = (s: LookupRow): boolean => {
    if (metricUid !== null && s.metricUid !== metricUid) return false;
    const m = new Map(s.tagUids);
    for (const [k, vals] of keyGroups) {
      const v = m.get(k);
      if (v === undefined || (vals && !vals.has(v))) return false;
    }
    if (valueOnly.size > 0 && !s.tagUids.some(([, v]) => valueOnly.has(v))) return false;
    return true;
  };
  let rows: LookupRow[] = [];
  const all = [...store.series.values()].filter(matches);
  if (q.useMeta) {
    // tsdb-meta holds a row per tracked series, and one per TS meta stored through /api/uid/tsmeta.
    const metaRows = new Map<string, LookupRow>(core.opts.metaTracking ? all.map((s) => [s.tsuid, s]) : []);
    for (const [tsuid, m] of core.meta.ts) if (matches({ tsuid, ...m })) metaRows.set(tsuid, { tsuid, metricUid: m.metricUid, tagUids: m.tagUids });
    rows = [...metaRows.values()].sort((a, b) => (a.tsuid < b.tsuid ? -1 : 1));
  } else {
    const keyed: Array<{ key: string; s: Series }> = [];
    for (const s of all) {
      for (const b of s.rows.keys()) {
        keyed.push({ key: s.tsuid.slice(0, 6) + b.toString(16).padStart(8, '0') + s.tsuid.slice(6), s });
      }
    }
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    rows = keyed.map((x) => x.s);
  }
  if (q.limit > 0) rows = rows.slice(0, q.limit);
  const results: Writable[] = rows.map((s) => {
    const tagNames = core.seriesTags(s);
    const tagOrder = javaHashMapOrder(
      tagNames.map(([k]) => k),
      { kind: 'capacity', initialCapacity: s.tagUids.length },
    );
    const tagMap = new Map(tagNames);
    const entry = new Map<string, Writable>([
      ['tsuid', s.tsuid],
      ['metric', uids.metrics.getName(s.metricUid)],
      ['tags', pairs(tagOrder.map((k) => [k, tagMap.get(k)!]))],
    ]);
    return pairs(javaConcurrentHashMapOrder([...entry.keys()], 3).map((k) => [k, entry.get(k)!]));
  });
  const out: Array<[string, Writable]> = [['type', 'LOOKUP']];
  if (q.metric !== null) out.push(['metric', q.metric]);
  if (q.tags !== null)
    out.push([
      'tags',
      q.tags.map(([k, v]) =>
        pairs([
          ['key', k],
          ['value', v],
        ]),
      ),
    ]);
  out.push(['limit', q.limit], ['time', new RawJson(javaFloatToString(1))], ['results', results], ['startIndex', 0], ['totalResults', results.length]);
  return { status: 200, body: writeJson(pairs(out)) };
}
