/**
 * /api/suggest (SuggestRpc + UniqueId.suggest, 2.4.1): GET ?type=metrics|tagk|tagv&q=&max= or a
 * POST JSON map; max absent or <= 0 -> 25; an answer is a JSON array of names in stored byte
 * order (names are stored ISO-8859-1, see uid.ts). A UID cache clash while scanning (e.g. after a
 * non-Latin-1 name was written) fails like the real one: 500 "Unexpected exception caught by
 * UniqueId(tsdb-uid, tagv, 3).suggest(...)".
 */
import { BadRequest, InternalError } from './errors.js';
import { asJavaString, JObject, JsonBindError, parseJson, writeJson } from './json.js';
import { getParam, hasParam, type TsdCore, type TsdRequest, type TsdResponse } from './core.js';

export function handleSuggest(core: TsdCore, req: TsdRequest): TsdResponse {
  if (req.method !== 'GET' && req.method !== 'POST') {
    throw new BadRequest(405, 'Method not allowed', `The HTTP method [${req.method}] is not permitted for this endpoint`);
  }
  let type: string | null;
  let q: string;
  let max: string | null;
  if (req.apiVersion > 0 && req.method === 'POST') {
    if (req.content === '') throw new BadRequest(400, 'Missing message content', 'Supply valid JSON formatted data in the body of your request');
    let map: JObject;
    try {
      const v = parseJson(req.content);
      if (!(v instanceof JObject))
        throw new JsonBindError(
          'Cannot deserialize instance of `java.util.HashMap` out of START_ARRAY token',
          'com.fasterxml.jackson.databind.exc.MismatchedInputException',
        );
      map = v;
      type = asJavaString(map.get('type'), 'java.util.HashMap["type"]');
      q = asJavaString(map.get('q'), 'java.util.HashMap["q"]') ?? '';
      max = asJavaString(map.get('max'), 'java.util.HashMap["max"]');
    } catch (e) {
      if (e instanceof JsonBindError) throw new BadRequest(400, 'Unable to parse the given JSON', `java.lang.IllegalArgumentException: ${e.javaText}`);
      throw e;
    }
    if (!type) throw new BadRequest(400, "Missing 'type' parameter");
  } else {
    type = getParam(req, 'type');
    if (!type) throw new BadRequest(400, 'Missing parameter <code>type</code>');
    q = hasParam(req, 'q') ? getParam(req, 'q')! : '';
    max = getParam(req, 'max');
  }
  let maxResults = 0;
  if (max !== null && max !== '') {
    if (!/^[+-]?\d+$/.test(max) || Math.abs(Number(max)) > 2147483647) throw new BadRequest(400, "Unable to parse 'max' as a number");
    maxResults = Number(max);
  }
  if (maxResults <= 0) maxResults = 25;
  const table = type === 'metrics' ? core.uids.metrics : type === 'tagk' ? core.uids.tagk : type === 'tagv' ? core.uids.tagv : null;
  if (!table) throw new BadRequest(400, "Invalid 'type' parameter:" + type);
  let names: string[];
  try {
    names = table.suggest(q, maxResults);
  } catch (e) {
    throw new InternalError(`Unexpected exception caught by ${table.toString()}.suggest(${q})`);
  }
  return { status: 200, body: writeJson(names) };
}
