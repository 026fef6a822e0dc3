/**
 * POST /api/put (PutDataPointRpc.processDataPoint, 2.4.1).
 * - body: one object or an array (HttpJsonSerializer.parsePutV1; content is trimmed first);
 * - per point: IncomingDataPoint.validate ("Metric name was empty", "Invalid timestamp",
 *   "Empty value", "Missing tags"), value parsing ("Unable to parse value to a number"),
 *   TSDB.addPoint (IllegalArgumentException message as is), unknown metric ("Unknown metric"),
 *   anything else ("Unexpected exception");
 * - no flags: 204 when all good, else 400 {"error":{"code":400,"message":"One or more data points
 *   had errors","details":"Please see the TSD logs or append \"details\" to the put request"}};
 * - summary/details: {"success","failed"[,"errors"][,"timeouts"]} (HashMap order), 200 or 400 when
 *   any point failed; errors are {"datapoint":{metric,timestamp,value,tags},"error":"..."}.
 */
import { BadRequest, IllegalArgument, InternalError, NoSuchUniqueName } from './errors.js';
import { javaHashMapOrder } from './java-hashmap.js';
import { JavaNumberFormatException, javaTrim, NonFiniteValueError, parsePutValue } from './java-number.js';
import { asJavaLong, asJavaString, asJavaStringMap, JObject, JsonBindError, parseJson, pairs, writeJson, type JValue, type Writable } from './json.js';
import { getParam, hasParam, type TsdCore, type TsdRequest, type TsdResponse } from './core.js';

interface IncomingDataPoint {
  metric: string | null;
  timestamp: bigint;
  value: string | null;
  /** in HashMap iteration order */
  tags: Array<[string, string | null]> | null;
}

function bindDataPoint(v: JValue, index: number | null): IncomingDataPoint | null {
  if (v === null) return null;
  const ref = (f: string) => `net.opentsdb.core.IncomingDataPoint${index === null ? '' : `[${index}]`}["${f}"]`;
  if (!(v instanceof JObject)) {
    throw new JsonBindError(
      `Cannot construct instance of \`net.opentsdb.core.IncomingDataPoint\` from non-object value`,
      'com.fasterxml.jackson.databind.exc.MismatchedInputException',
    );
  }
  const tagsRaw = asJavaStringMap(v.get('tags'), ref('tags'));
  const tags =
    tagsRaw === null
      ? null
      : (() => {
          const m = new Map(tagsRaw);
          return javaHashMapOrder([...m.keys()]).map((k) => [k, m.get(k)!] as [string, string | null]);
        })();
  return {
    metric: asJavaString(v.get('metric'), ref('metric')),
    timestamp: asJavaLong(v.get('timestamp'), ref('timestamp')),
    value: asJavaString(v.get('value'), ref('value')),
    tags,
  };
}

export function parsePutBody(content: string): Array<IncomingDataPoint | null> {
  if (content.length === 0) throw new BadRequest(400, 'Missing request content');
  const trimmed = javaTrim(content);
  if (trimmed.length === 0) throw new InternalError('String index out of range: 0', 'java.lang.StringIndexOutOfBoundsException');
  try {
    if (trimmed[0] === '{') return [bindDataPoint(parseJson(trimmed), null)];
    if (trimmed[0] === '[') {
      const arr = parseJson(trimmed);
      if (!Array.isArray(arr)) throw new JsonBindError('expected array');
      return arr.map((x, i) => bindDataPoint(x, i));
    }
  } catch (e) {
    if (e instanceof JsonBindError) throw new BadRequest(400, 'Unable to parse the given JSON', e.javaText);
    throw e;
  }
  throw new BadRequest(400, 'The JSON must start as an object or an array');
}

/** Jackson view of IncomingDataPoint (@JsonInclude NON_NULL; fields metric, timestamp, value, tags). */
function dataPointJson(dp: IncomingDataPoint | null): Writable {
  if (dp === null) return null;
  const e: Array<[string, Writable]> = [];
  if (dp.metric !== null) e.push(['metric', dp.metric]);
  e.push(['timestamp', dp.timestamp]);
  if (dp.value !== null) e.push(['value', dp.value]);
  if (dp.tags !== null) e.push(['tags', pairs(dp.tags.map(([k, v]) => [k, v]))]);
  return pairs(e);
}

function detail(message: string, dp: IncomingDataPoint | null): Writable {
  const m = new Map<string, Writable>([
    ['error', message],
    ['datapoint', dataPointJson(dp)],
  ]);
  return pairs(javaHashMapOrder([...m.keys()]).map((k) => [k, m.get(k)!]));
}

/** Stores one point or returns the detail message of its failure. */
function storeOne(core: TsdCore, dp: IncomingDataPoint | null): string | null {
  if (dp === null) return 'Unexpected exception';
  if (dp.metric === null || dp.metric === '') return 'Metric name was empty';
  if (dp.timestamp <= 0n) return 'Invalid timestamp';
  if (dp.value === null || dp.value === '') return 'Empty value';
  if (dp.tags === null || dp.tags.length < 1) return 'Missing tags';
  try {
    const value = parsePutValue(dp.value, dp.metric, dp.timestamp);
    core.addPoint(dp.metric, dp.timestamp, value, dp.tags);
    return null;
  } catch (e) {
    if (e instanceof JavaNumberFormatException) return 'Unable to parse value to a number';
    if (e instanceof NonFiniteValueError || e instanceof IllegalArgument) return e.message;
    if (e instanceof NoSuchUniqueName) return 'Unknown metric';
    return 'Unexpected exception';
  }
}

export function handlePut(core: TsdCore, req: TsdRequest): TsdResponse {
  if (req.method !== 'POST') {
    throw new BadRequest(405, 'Method not allowed', `The HTTP method [${req.method}] is not permitted for this endpoint`);
  }
  const dps = parsePutBody(req.content);
  if (dps.length < 1) throw new BadRequest(400, 'No datapoints found in content');
  core.stats.puts++;
  const showDetails = hasParam(req, 'details');
  const showSummary = hasParam(req, 'summary');
  let syncTimeout = 0;
  if (hasParam(req, 'sync_timeout')) {
    const raw = getParam(req, 'sync_timeout') ?? '';
    if (!/^[+-]?\d+$/.test(raw) || Math.abs(Number(raw)) > 2147483647) {
      throw new InternalError(`For input string: "${raw}"`, 'java.lang.NumberFormatException');
    }
    syncTimeout = Number(raw);
  }
  const errors: Writable[] = [];
  let queued = 0;
  for (const dp of dps) {
    const failure = storeOne(core, dp);
    if (failure === null) queued++;
    else if (showDetails) errors.push(detail(failure, dp));
  }
  const failures = dps.length - queued;
  if (!showSummary && !showDetails) {
    if (failures > 0) {
      throw new BadRequest(400, 'One or more data points had errors', 'Please see the TSD logs or append "details" to the put request');
    }
    return { status: 204, body: '' };
  }
  const summary = new Map<string, Writable>();
  if (syncTimeout > 0) summary.set('timeouts', 0);
  summary.set('success', queued);
  summary.set('failed', failures);
  if (showDetails) summary.set('errors', errors);
  const body = writeJson(pairs(javaHashMapOrder([...summary.keys()]).map((k) => [k, summary.get(k)!])));
  return { status: failures > 0 ? 400 : 200, body };
}
