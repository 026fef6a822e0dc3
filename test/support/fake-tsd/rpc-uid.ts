/**
 * /api/uid/assign (UniqueIdRpc.handleAssign + TSDB.assignUid, 2.4.1):
 * POST {"metric":[...],"tagk":[...],"tagv":[...]} (or GET ?metric=a,b&tagk=...).
 * Answer: {"metric":{"name":"UID",...},"metric_errors":{"name":"Name already exists with UID: 000001"},...}
 * (outer map in HashMap order, inner maps sorted); 200 when no name failed, else 400.
 * New names are created even when others in the same request fail. Invalid names fail with
 * Tags.validateString's message; an unknown type key fails each of its names with "Unknown type name".
 */
import { BadRequest, IllegalArgument, IllegalState, InternalError, NoSuchUniqueName } from './errors.js';
import { javaHashMapOrder, javaStringCompare } from './java-hashmap.js';
import { asJavaStringList, JObject, JsonBindError, pairs, parseJson, writeJson, type Writable } from './json.js';
import { getParam, type TsdCore, type TsdRequest, type TsdResponse } from './core.js';
import { uidToHex, type UniqueIdTable } from './uid.js';
import { handleTsMeta, handleUidMeta } from './rpc-meta.js';

function assignUid(core: TsdCore, type: string, name: string | null): number {
  core.validateString(type, name);
  const t = type.toLowerCase();
  const table: UniqueIdTable | null = t === 'metric' ? core.uids.metrics : t === 'tagk' ? core.uids.tagk : t === 'tagv' ? core.uids.tagv : null;
  if (!table) throw new IllegalArgument('Unknown type name');
  let existing: number;
  try {
    existing = table.getId(name!);
  } catch (e) {
    if (!(e instanceof NoSuchUniqueName)) throw e;
    return table.getOrCreateId(name!);
  }
  throw new IllegalArgument('Name already exists with UID: ' + uidToHex(existing));
}

export function handleUid(core: TsdCore, req: TsdRequest): TsdResponse {
  const base = req.apiVersion > 0 && /^v\d/i.test(req.pathParts[1] ?? '') ? 3 : 2;
  const endpoint = (req.pathParts[base] ?? '').toLowerCase();
  if (endpoint === 'uidmeta') return handleUidMeta(core, req);
  if (endpoint === 'tsmeta') return handleTsMeta(core, req);
  if (endpoint !== 'assign') {
    if (endpoint === 'rename') {
      throw new BadRequest(501, `fake-tsd: /api/uid/${endpoint} is not implemented`);
    }
    throw new BadRequest(501, 'Other UID endpoints have not been implemented yet');
  }
  if (req.method !== 'GET' && req.method !== 'POST') {
    throw new BadRequest(405, 'Method not allowed', `The HTTP method [${req.method}] is not permitted for this endpoint`);
  }
  const source: Array<[string, Array<string | null>]> = [];
  if (req.method === 'POST') {
    if (req.content === '') throw new BadRequest(400, 'Missing message content', 'Supply valid JSON formatted data in the body of your request');
    try {
      const v = parseJson(req.content);
      if (!(v instanceof JObject))
        throw new JsonBindError(
          'Cannot deserialize instance of `java.util.HashMap` out of START_ARRAY token',
          'com.fasterxml.jackson.databind.exc.MismatchedInputException',
        );
      for (const [k, x] of v.map) source.push([k, asJavaStringList(x, `java.util.HashMap["${k}"]`) ?? []]);
    } catch (e) {
      if (e instanceof JsonBindError) throw new BadRequest(400, 'Unable to parse the given JSON', `java.lang.IllegalArgumentException: ${e.javaText}`);
      throw e;
    }
  } else {
    for (const t of ['metric', 'tagk', 'tagv']) {
      const vals = getParam(req, t);
      if (vals) source.push([t, vals.split(',')]);
    }
  }
  if (source.length < 1) throw new BadRequest(400, 'Missing values to assign UIDs');
  const srcMap = new Map(source);
  const response = new Map<string, Array<[string, string]>>();
  let errorCount = 0;
  for (const key of javaHashMapOrder([...srcMap.keys()])) {
    const results = new Map<string, string>();
    const errors = new Map<string, string>();
    for (const name of srcMap.get(key)!) {
      try {
        results.set(name as string, uidToHex(assignUid(core, key, name)));
      } catch (e) {
        if (e instanceof IllegalArgument) {
          errors.set(name as string, e.message);
          errorCount++;
        } else if (e instanceof IllegalState) {
          throw new InternalError(e.message, 'java.lang.IllegalStateException');
        } else {
          throw e;
        }
      }
    }
    const sorted = (m: Map<string, string>) => [...m.entries()].sort((a, b) => javaStringCompare(a[0], b[0]));
    response.set(key, sorted(results));
    if (errors.size > 0) response.set(key + '_errors', sorted(errors));
  }
  const body = writeJson(pairs(javaHashMapOrder([...response.keys()]).map((k) => [k, pairs(response.get(k)!.map(([n, u]) => [n, u as Writable]))])));
  return { status: errorCount < 1 ? 200 : 400, body };
}
