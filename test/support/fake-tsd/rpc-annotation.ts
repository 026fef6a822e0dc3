/**
 * /api/annotation (AnnotationRpc, Annotation), 2.4.1, the part a backup meets:
 * - POST stores one annotation: `startTime` is required ("Missing start time", 400), `tsuid` absent or
 *   empty makes it global; the answer echoes it as tsuid, description, notes, custom (only when
 *   given), startTime, endTime. Another POST with the same tsuid and startTime replaces it.
 * - /api/query (rpc-query.ts) attaches a series' annotations within [start, end] to its answer unless
 *   `noAnnotations`. A start time above 2^32 - 1 is in milliseconds, else in seconds (Const.SECOND_MASK).
 * Global annotations come with every series of a query that asks for them (globalAnnotations: true).
 * Not modelled: GET and DELETE, /api/annotation/bulk, and a series
 * answered for its annotations alone (the real TSD then sends `tags: {}` and empty dps).
 */
import { BadRequest } from './errors.js';
import { asJavaLong, asJavaString, JObject, JsonBindError, jsonString, parseJson } from './json.js';
import type { TsdCore, TsdRequest, TsdResponse } from './core.js';

export interface StoredAnnotation {
  tsuid: string;
  startTime: bigint;
  /** The annotation as the TSD serialises it. */
  json: string;
}

export function annotationStartMs(a: StoredAnnotation): number {
  return Number(a.startTime > 0xffffffffn ? a.startTime : a.startTime * 1000n);
}

export function handleAnnotation(core: TsdCore, req: TsdRequest): TsdResponse {
  if (req.method !== 'POST') throw new BadRequest(501, `fake-tsd: ${req.method} ${req.path} is not implemented`);
  let v;
  try {
    v = parseJson(req.content);
  } catch (e) {
    if (e instanceof JsonBindError) throw new BadRequest(400, 'Unable to parse the given JSON', `java.lang.IllegalArgumentException: ${e.javaText}`);
    throw e;
  }
  if (!(v instanceof JObject)) throw new BadRequest(400, 'Unable to parse the given JSON');
  const ref = (f: string) => `net.opentsdb.meta.Annotation["${f}"]`;
  const startTime = v.has('startTime') ? asJavaLong(v.get('startTime'), ref('startTime')) : 0n;
  if (startTime < 1n) throw new BadRequest(400, 'Missing start time');
  const tsuid = (v.has('tsuid') ? asJavaString(v.get('tsuid'), ref('tsuid')) : null) ?? '';
  const text = (f: string) => (v.has(f) ? (asJavaString(v.get(f), ref(f)) ?? '') : '');
  const endTime = v.has('endTime') ? asJavaLong(v.get('endTime'), ref('endTime')) : 0n;
  const custom = v.get('custom');
  const customJson =
    custom instanceof JObject
      ? `,"custom":{${[...custom.map].map(([k, c]) => `${jsonString(k)}:${jsonString(asJavaString(c, ref('custom')) ?? '')}`).join(',')}}`
      : '';
  const json = `{"tsuid":${jsonString(tsuid)},"description":${jsonString(text('description'))},"notes":${jsonString(text('notes'))}${customJson},"startTime":${startTime},"endTime":${endTime}}`;
  const list = core.annotations.filter((a) => !(a.tsuid === tsuid && a.startTime === startTime));
  list.push({ tsuid, startTime, json });
  core.annotations = list;
  return { status: 200, body: json };
}
