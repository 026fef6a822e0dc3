/**
 * /api/query (QueryRpc.handleQuery, TSQuery/TSSubQuery validation, TsdbQuery scanning,
 * HttpJsonSerializer.formatQueryAsyncV1), 2.4.1:
 * - POST body or GET (start, end, m=, ms, ...); "arrays" is read from the query string for both;
 *   "ms" only for GET (POST uses the body's msResolution); identical sub-queries are dropped;
 * - validation errors: 400, message = the IllegalArgumentException text, details = TSQuery.toString();
 * - unknown metric / tag key / literal tag value: 400 "No such name for '<kind>': '<name>'"
 *   (message and details), as are storage errors such as "Duplicate timestamp for key=...";
 * - scan: hour rows from floor_hour(start) up to the next hour boundary after end (+1 s when end
 *   is in ms; a time below 2^32 is taken as seconds there, see scanRange); every series with a row there is answered, even if no point is in [start, end]
 *   (it then has empty dps); points are written only within [start, end] inclusive;
 * - aggregator none: one result per series in TSUID order, no group-by, tags = all its tags,
 *   aggregateTags = [] (a downsampler is applied per series when given);
 * - other aggregators: group-by filters split the series, tags = pairs equal across the group,
 *   aggregateTags = keys whose values differ;
 * - values: integers as longs, floating point as Java Double.toString; timestamps in ms when
 *   msResolution, else ms / 1000 (points in one second then repeat the same key).
 */
import { annotationStartMs } from './rpc-annotation.js';
import { AGGREGATOR_NAMES, aggregate, downsample, type DownsampleSpec, type Point, pointOf, rawPoints } from './aggregation.js';
import { BadRequest, IllegalArgument, IllegalData, IllegalState, InternalError, NoSuchUniqueName } from './errors.js';
import { buildFilter, javaSplit, mapToFilters, type TagVFilter } from './filters.js';
import { asJavaBoolean, asJavaString, asJavaStringList, asJavaStringMap, JObject, JsonBindError, jsonString, parseJson, type JValue } from './json.js';
import { getParam, hasParam, TsdCore, type TsdRequest, type TsdResponse } from './core.js';
import { MAX_TIMESPAN, type Series } from './store.js';
import { parseDateTimeString, parseDuration } from './time.js';

interface SubQuery {
  aggregator: string | null;
  metric: string | null;
  tsuids: Array<string | null> | null;
  downsample: string | null;
  rate: boolean;
  filters: TagVFilter[];
  explicitTags: boolean;
  ds?: DownsampleSpec | null;
}

interface TSQuery {
  start: string | null;
  end: string | null;
  timezone: string | null;
  msResolution: boolean;
  showTSUIDs: boolean;
  noAnnotations: boolean;
  globalAnnotations?: boolean;
  queries: SubQuery[] | null;
}

// ---------------------------------------------------------------------------
// parsing
// ---------------------------------------------------------------------------

function bindSubQuery(v: JValue, i: number): SubQuery {
  const ref = (f: string) => `net.opentsdb.core.TSQuery["queries"]->java.util.ArrayList[${i}]->net.opentsdb.core.TSSubQuery["${f}"]`;
  if (!(v instanceof JObject))
    throw new JsonBindError('Cannot construct instance of `net.opentsdb.core.TSSubQuery`', 'com.fasterxml.jackson.databind.exc.MismatchedInputException');
  const sq: SubQuery = { aggregator: null, metric: null, tsuids: null, downsample: null, rate: false, filters: [], explicitTags: false };
  // setters run in JSON order: setTags() replaces the filter list, setFilters() replaces it too
  for (const [key, val] of v.map) {
    switch (key) {
      case 'aggregator':
        sq.aggregator = asJavaString(val, ref(key));
        break;
      case 'metric':
        sq.metric = asJavaString(val, ref(key));
        break;
      case 'tsuids':
        sq.tsuids = asJavaStringList(val, ref(key));
        break;
      case 'downsample':
        sq.downsample = asJavaString(val, ref(key));
        break;
      case 'rate':
        sq.rate = asJavaBoolean(val, ref(key));
        break;
      case 'explicitTags':
        sq.explicitTags = asJavaBoolean(val, ref(key));
        break;
      case 'tags': {
        const m = asJavaStringMap(val, ref(key)) ?? [];
        sq.filters = [];
        try {
          mapToFilters(
            m.map(([k, x]) => [k, x ?? '']),
            sq.filters,
            true,
          );
        } catch (e) {
          throw new JsonBindError((e as Error).message, 'com.fasterxml.jackson.databind.JsonMappingException');
        }
        break;
      }
      case 'filters': {
        if (val === null) {
          sq.filters = [];
          break;
        }
        if (!Array.isArray(val))
          throw new JsonBindError(
            'Cannot deserialize instance of `java.util.ArrayList` out of START_OBJECT token',
            'com.fasterxml.jackson.databind.exc.MismatchedInputException',
          );
        sq.filters = val.map((f, j) => {
          if (!(f instanceof JObject))
            throw new JsonBindError(
              'Cannot construct instance of `net.opentsdb.query.filter.TagVFilter$Builder`',
              'com.fasterxml.jackson.databind.exc.MismatchedInputException',
            );
          const fr = (x: string) => `${ref('filters')}->java.util.ArrayList[${j}]["${x}"]`;
          try {
            return buildFilter(
              asJavaString(f.get('type'), fr('type')),
              asJavaString(f.get('tagk'), fr('tagk')),
              asJavaString(f.get('filter'), fr('filter')),
              asJavaBoolean(f.get('groupBy'), fr('groupBy')),
            );
          } catch (e) {
            if (e instanceof JsonBindError) throw e;
            throw new JsonBindError(
              `Cannot construct instance of \`net.opentsdb.query.filter.TagVFilter$Builder\`, problem: ${(e as Error).message}`,
              'com.fasterxml.jackson.databind.exc.InvalidDefinitionException',
            );
          }
        });
        break;
      }
      default:
      // ignoreUnknown = true (rateOptions, percentiles, ... are accepted and not modelled)
    }
  }
  return sq;
}

function parsePostQuery(content: string): TSQuery {
  if (content === '') throw new BadRequest(400, 'Missing message content', 'Supply valid JSON formatted data in the body of your request');
  try {
    const v = parseJson(content);
    if (!(v instanceof JObject))
      throw new JsonBindError('Cannot construct instance of `net.opentsdb.core.TSQuery`', 'com.fasterxml.jackson.databind.exc.MismatchedInputException');
    const ref = (f: string) => `net.opentsdb.core.TSQuery["${f}"]`;
    const q: TSQuery = { start: null, end: null, timezone: null, msResolution: false, showTSUIDs: false, noAnnotations: false, queries: null };
    for (const [key, val] of v.map) {
      if (key === 'start') q.start = asJavaString(val, ref(key));
      else if (key === 'end') q.end = asJavaString(val, ref(key));
      else if (key === 'timezone') q.timezone = asJavaString(val, ref(key));
      else if (key === 'msResolution') q.msResolution = asJavaBoolean(val, ref(key));
      else if (key === 'showTSUIDs') q.showTSUIDs = asJavaBoolean(val, ref(key));
      else if (key === 'noAnnotations') q.noAnnotations = asJavaBoolean(val, ref(key));
      else if (key === 'globalAnnotations') q.globalAnnotations = asJavaBoolean(val, ref(key));
      else if (key === 'queries') {
        if (val === null) q.queries = null;
        else if (!Array.isArray(val))
          throw new JsonBindError(
            'Cannot deserialize instance of `java.util.ArrayList` out of START_OBJECT token',
            'com.fasterxml.jackson.databind.exc.MismatchedInputException',
          );
        else q.queries = val.map(bindSubQuery);
      }
    }
    return q;
  } catch (e) {
    if (e instanceof JsonBindError) throw new BadRequest(400, 'Unable to parse the given JSON', `java.lang.IllegalArgumentException: ${e.javaText}`);
    throw e;
  }
}

function parseTagPairs(s: string, filters: TagVFilter[], groupBy: boolean, what: string): void {
  for (const part of s.split(',')) {
    if (part === '') break;
    const eq = part.indexOf('=');
    try {
      if (eq <= 0 || eq === part.length - 1 || part.indexOf('=', eq + 1) >= 0) throw new IllegalArgument('invalid tag: ' + part);
      mapToFilters([[part.slice(0, eq), part.slice(eq + 1)]], filters, groupBy);
    } catch (e) {
      throw new IllegalArgument(`When parsing ${what} '${part}': ${(e as Error).message}`);
    }
  }
}

/** Tags.parseWithMetricAndFilters. */
function parseMetricAndFilters(metric: string, filters: TagVFilter[]): string {
  if (!metric) throw new IllegalArgument('Metric cannot be null or empty');
  const curly = metric.indexOf('{');
  if (curly < 0) return metric;
  const len = metric.length;
  if (metric[len - 1] !== '}') throw new IllegalArgument("Missing '}' at the end of: " + metric);
  if (curly === len - 2) return metric.slice(0, len - 2);
  const close = metric.indexOf('}');
  if (close !== len - 1) parseTagPairs(metric.slice(metric.lastIndexOf('{') + 1, len - 1), filters, false, 'filter');
  parseTagPairs(metric.slice(curly + 1, close), filters, true, 'tag');
  return metric.slice(0, curly);
}

function parseGetQuery(req: TsdRequest): TSQuery {
  const start = getParam(req, 'start');
  if (start === null || start === '') throw new BadRequest(400, 'Missing parameter <code>start</code>');
  const q: TSQuery = {
    start,
    end: getParam(req, 'end'),
    timezone: getParam(req, 'tz'),
    msResolution: hasParam(req, 'ms'),
    showTSUIDs: hasParam(req, 'show_tsuids'),
    noAnnotations: hasParam(req, 'no_annotations'),
    queries: [],
  };
  for (const m of req.params.get('m') ?? []) {
    if (!m) throw new BadRequest(400, 'The query string was empty');
    const parts = m.split(':');
    if (parts.length < 2 || parts.length > 5) {
      throw new BadRequest(400, `Invalid parameter m=${m} (${parts.length < 2 ? 'not enough' : 'too many'} :-separated parts)`);
    }
    const sq: SubQuery = { aggregator: parts[0]!, metric: null, tsuids: null, downsample: null, rate: false, filters: [], explicitTags: false };
    try {
      sq.metric = parseMetricAndFilters(parts[parts.length - 1]!, sq.filters);
    } catch (e) {
      throw new BadRequest(400, (e as Error).message);
    }
    for (const p of parts.slice(1, -1)) {
      if (p.toLowerCase().startsWith('rate')) sq.rate = true;
      else if (/^[0-9]/.test(p)) sq.downsample = p;
      else if (p.toLowerCase().startsWith('explicit_tags')) sq.explicitTags = true;
    }
    q.queries!.push(sq);
  }
  if (q.queries!.length < 1) throw new BadRequest(400, 'Missing sub queries');
  return q;
}

// ---------------------------------------------------------------------------
// validation
// ---------------------------------------------------------------------------

function filterToString(f: TagVFilter): string {
  return `filter_name=${f.type}, tagk=${f.tagk}, group_by=${f.groupBy}, tagk_bytes=null, config={...}`;
}

function tsQueryToString(q: TSQuery): string {
  const subs = (q.queries ?? []).map(
    (s, i) =>
      `TSSubQuery(metric=${s.metric ?? ''}, filters=[${s.filters.map(filterToString).join(', ')}], tsuids=[${(s.tsuids ?? []).join(', ')}], agg=${s.aggregator}, downsample=${s.downsample}, ds_interval=${s.ds && !s.ds.runAll ? s.ds.intervalMs : 0}, rate=${s.rate}, rate_options=null, explicit_tags=explicit_tags, index=${s.ds === undefined ? 0 : i}, percentiles=null, show_histogram_buckets=false)`,
  );
  return `TSQuery(start_time=${q.start}, end_time=${q.end}, subQueries[${subs.join(', ')}] padding=false, no_annotations=${q.noAnnotations}, with_global_annotations=${q.globalAnnotations ?? false}, show_tsuids=${q.showTSUIDs}, ms_resolution=${q.msResolution}, options=[])`;
}

const FILL_POLICIES = ['none', 'nan', 'null', 'zero', 'scalar'];

function parseDownsample(spec: string): DownsampleSpec {
  const parts = javaSplit(spec, '-');
  if (parts.length < 2) throw new IllegalArgument(`Invalid downsampling specifier '${spec}': must provide at least interval and function`);
  if (parts.length > 3) throw new IllegalArgument(`Invalid downsampling specifier '${spec}': must consist of interval, function, and optional fill policy`);
  const runAll = parts[0]!.includes('all');
  let intervalMs = 0;
  if (!runAll) {
    const iv = parts[0]!.endsWith('c') ? parts[0]!.slice(0, -1) : parts[0]!;
    intervalMs = parseDuration(iv);
  }
  const fn = parts[1]!;
  if (!AGGREGATOR_NAMES.includes(fn)) throw new IllegalArgument('No such downsampling function: ' + fn);
  if (fn === 'none') throw new IllegalArgument('cannot use the NONE aggregator for downsampling');
  let fill = 'none';
  if (parts.length === 3) {
    fill = parts[2]!.toLowerCase();
    if (!FILL_POLICIES.includes(fill)) {
      throw new IllegalArgument(`No such fill policy: '${parts[2]}': must be one of: none nan null zero scalar`);
    }
  }
  return { text: spec, runAll, intervalMs, fn, fill };
}

function validate(q: TSQuery, now: number): { startMs: number; endMs: number } {
  if (q.start === null || q.start === '') throw new IllegalArgument('Missing start time');
  const startMs = parseDateTimeString(q.start, now);
  const endMs = q.end !== null && q.end !== '' ? parseDateTimeString(q.end, now) : now;
  if (endMs <= startMs) throw new IllegalArgument(`End time [${endMs}] must be greater than the start time [${startMs}]`);
  if (!q.queries || q.queries.length === 0) throw new IllegalArgument('Missing queries');
  for (const sq of q.queries) {
    if (!sq.aggregator) throw new IllegalArgument('Missing the aggregation function');
    if (!AGGREGATOR_NAMES.includes(sq.aggregator)) throw new IllegalArgument('No such aggregation function: ' + sq.aggregator);
    if ((!sq.tsuids || sq.tsuids.length === 0) && !sq.metric) throw new IllegalArgument('Missing the metric or tsuids, provide at least one');
    sq.ds = sq.downsample ? parseDownsample(sq.downsample) : null;
  }
  return { startMs, endMs };
}

function subQueryKey(s: SubQuery): string {
  return JSON.stringify([s.aggregator, s.metric, s.tsuids, s.downsample, s.rate, s.explicitTags, s.filters.map((f) => [f.type, f.tagk, f.filter, f.groupBy])]);
}

// ---------------------------------------------------------------------------
// execution
// ---------------------------------------------------------------------------

interface ResultGroup {
  metric: string;
  tags: Array<[string, string]>;
  aggregateTags: string[];
  tsuids: string[];
  points: Point[];
}

function scanRange(startMs: number, endMs: number, ds: DownsampleSpec | null | undefined): [number, number] {
  // TsdbQuery.getScanStartTimeSeconds/getScanEndTimeSeconds guess the unit by Const.SECOND_MASK: a time
  // with no bit above the low 32 (below 2^32 ms, 1970-02-19) is taken as seconds, so such a start
  // scans from far later rows (measured on 2.4.1: start 7200000 ms scans from 1970-03-25). The real
  // TSD sometimes answers such queries with an empty series named "" instead; this keeps the rows.
  const SECOND_MASK_LIMIT = 2 ** 32;
  let start = startMs >= SECOND_MASK_LIMIT ? Math.floor(startMs / 1000) : startMs;
  if (ds && !ds.runAll && ds.intervalMs > 0) start -= Math.floor(((1000 * start) % ds.intervalMs) / 1000);
  start = Math.max(0, start - (start % MAX_TIMESPAN));
  let end = endMs >= SECOND_MASK_LIMIT ? Math.floor(endMs / 1000) + 1 : endMs; // ms end: the original always bumps one second
  if (ds && !ds.runAll && ds.intervalMs > 0) {
    const off = (1000 * end) % ds.intervalMs;
    const aligned = end + Math.floor((ds.intervalMs - off) / 1000);
    const span = aligned % MAX_TIMESPAN;
    end = span === 0 ? aligned : aligned + (MAX_TIMESPAN - span);
  } else {
    end = end + (MAX_TIMESPAN - (end % MAX_TIMESPAN));
  }
  return [start, end];
}

function runSubQuery(core: TsdCore, sq: SubQuery, startMs: number, endMs: number): ResultGroup[] {
  const { uids, store } = core;
  let candidates: Series[];
  let metricUid: number;
  if (sq.tsuids && sq.tsuids.length > 0) {
    const wanted = sq.tsuids.map((t) => (t ?? '').toUpperCase());
    const first = wanted[0]!.slice(0, 6);
    for (const t of wanted) {
      if (t.slice(0, 6) !== first) throw new IllegalArgument(`One or more TSUIDs did not share the same metric [${first}] [${t.slice(0, 6)}]`);
    }
    metricUid = parseInt(first, 16);
    candidates = [...store.series.values()].filter((s) => wanted.includes(s.tsuid));
  } else {
    metricUid = uids.metrics.getId(sq.metric!);
    candidates = [...store.series.values()].filter((s) => s.metricUid === metricUid);
  }
  candidates.sort((a, b) => (a.tsuid < b.tsuid ? -1 : a.tsuid > b.tsuid ? 1 : 0));

  // resolve filters: tag keys, literal values (TagVFilter.resolveTagkName / resolveTags)
  const tagkUid = new Map<TagVFilter, number>();
  const literalUids = new Map<TagVFilter, number[]>();
  for (const f of sq.filters) {
    if (f.literals && f.literals.size <= core.opts.filterExpansionLimit) {
      const ids: number[] = [];
      for (const lit of f.literals) {
        try {
          ids.push(uids.tagv.getId(lit));
        } catch (e) {
          if (!(e instanceof NoSuchUniqueName) || !core.opts.skipUnresolvedTagvs) throw e;
        }
      }
      literalUids.set(f, ids);
    }
    tagkUid.set(f, uids.tagk.getId(f.tagk));
  }
  // findGroupBys: per tag key, union of literal UIDs (within the expansion limit), else key only
  const rowKeyLiterals = new Map<number, Set<number> | null>();
  const postScan = new Set(sq.filters.filter((f) => f.postScan));
  const byKey = new Map<number, TagVFilter[]>();
  for (const f of sq.filters) byKey.set(tagkUid.get(f)!, [...(byKey.get(tagkUid.get(f)!) ?? []), f]);
  let literalCount = 0;
  for (const [k, fs] of [...byKey.entries()].sort((a, b) => a[0] - b[0])) {
    const lits = new Set<number>();
    const litFilters: TagVFilter[] = [];
    for (const f of fs) {
      const ids = literalUids.get(f);
      if (ids && ids.length > 0) {
        ids.forEach((x) => lits.add(x));
        litFilters.push(f);
      }
    }
    if (lits.size > 0 && lits.size + literalCount <= core.opts.filterExpansionLimit) {
      rowKeyLiterals.set(k, lits);
      literalCount += lits.size;
      litFilters.forEach((f) => postScan.delete(f));
    } else {
      rowKeyLiterals.set(k, null);
    }
  }
  const groupByKeys = [...new Set(sq.filters.filter((f) => f.groupBy).map((f) => tagkUid.get(f)!))].sort((a, b) => a - b);

  const [scanStart, scanEnd] = scanRange(startMs, endMs, sq.ds);
  const cutOff = Math.floor(core.opts.now() / 1000) - MAX_TIMESPAN - 1;
  const matched: Array<{ series: Series; points: Point[] }> = [];
  for (const s of candidates) {
    const bases = [...s.rows.keys()].filter((b) => b >= scanStart && b < scanEnd).sort((a, b) => a - b);
    if (bases.length === 0) continue;
    const tagMap = new Map(s.tagUids);
    let ok = true;
    for (const [k, lits] of rowKeyLiterals) {
      const v = tagMap.get(k);
      if (v === undefined || (lits && !lits.has(v))) ok = false;
    }
    if (sq.explicitTags && (tagMap.size !== rowKeyLiterals.size || [...tagMap.keys()].some((k) => !rowKeyLiterals.has(k)))) ok = false;
    if (!ok) continue;
    if (postScan.size > 0) {
      const names = new Map(core.seriesTags(s));
      if (![...postScan].every((f) => f.match(names))) continue;
    }
    const points: Point[] = [];
    for (const b of bases) {
      for (const { ms, value } of store.readRow(s, b)) points.push(pointOf(ms, value));
      if (b <= cutOff) store.compactRow(s, b);
    }
    matched.push({ series: s, points });
  }
  if (matched.length === 0) return [];

  const metricName = uids.metrics.getName(metricUid);
  const groups: Array<{ series: Series[]; spans: Point[][] }> = [];
  if (sq.aggregator === 'none') {
    for (const m of matched) groups.push({ series: [m.series], spans: [m.points] });
  } else if (groupByKeys.length === 0) {
    groups.push({ series: matched.map((m) => m.series), spans: matched.map((m) => m.points) });
  } else {
    const byGroup = new Map<string, { series: Series[]; spans: Point[][] }>();
    for (const m of matched) {
      const tagMap = new Map(m.series.tagUids);
      const key = groupByKeys.map((k) => String(tagMap.get(k)).padStart(8, '0')).join(',');
      const g = byGroup.get(key) ?? { series: [], spans: [] };
      g.series.push(m.series);
      g.spans.push(m.points);
      byGroup.set(key, g);
    }
    for (const key of [...byGroup.keys()].sort()) groups.push(byGroup.get(key)!);
  }

  return groups.map((g) => {
    // SpanGroup.computeTags
    const tagSet = new Map<number, number>();
    const discards = new Set<number>();
    for (const s of g.series) {
      for (const [k, v] of s.tagUids) {
        if (discards.has(k)) continue;
        const have = tagSet.get(k);
        if (have === undefined) tagSet.set(k, v);
        else if (have !== v) {
          discards.add(k);
          tagSet.delete(k);
        }
      }
    }
    const tagPairs: Array<[string, string]> = [...tagSet.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => [uids.tagk.getName(k), uids.tagv.getName(v)]);
    const aggTags = [...discards].sort((a, b) => a - b).map((k) => uids.tagk.getName(k));
    let spans = g.spans;
    if (sq.ds) spans = spans.map((p) => downsample(p, sq.ds!, startMs, endMs));
    const points = sq.aggregator === 'none' ? (sq.ds ? spans[0]! : rawPoints(spans[0]!)) : aggregate(spans, sq.aggregator!);
    // SpanGroup.doubleValue: a value that came out infinite (a downsampled or aggregated sum beyond the
    // double range) fails the whole query with 400.
    const infinite = points.find((p) => !p.isInt && (p.num === Infinity || p.num === -Infinity));
    if (infinite) throw BadRequest.from({ message: `Got Infinity: ${infinite.num > 0 ? 'Infinity' : '-Infinity'} in this SpanGroup.Iterator(...)` });
    return { metric: metricName, tags: TsdCore.answerTagOrder(tagPairs), aggregateTags: aggTags, tsuids: g.series.map((s) => s.tsuid), points };
  });
}

// ---------------------------------------------------------------------------
// serialisation
// ---------------------------------------------------------------------------

const jsonStr = jsonString;

function serialize(core: TsdCore, groups: ResultGroup[], q: TSQuery, startMs: number, endMs: number, arrays: boolean): string {
  const parts: string[] = [];
  for (const g of groups) {
    let out = `{"metric":${jsonStr(g.metric)},"tags":{${g.tags.map(([k, v]) => `${jsonStr(k)}:${jsonStr(v)}`).join(',')}},"aggregateTags":[${g.aggregateTags.map(jsonStr).join(',')}]`;
    if (q.showTSUIDs) out += `,"tsuids":[${[...g.tsuids].sort().map(jsonStr).join(',')}]`;
    if (!q.noAnnotations) {
      const tsuids = new Set(g.tsuids);
      const notes = core.annotations.filter((a) => tsuids.has(a.tsuid) && annotationStartMs(a) >= startMs && annotationStartMs(a) <= endMs);
      if (notes.length > 0)
        out += `,"annotations":[${notes
          .sort((a, b) => annotationStartMs(a) - annotationStartMs(b))
          .map((a) => a.json)
          .join(',')}]`;
      if (q.globalAnnotations) {
        const globals = core.annotations.filter((a) => a.tsuid === '' && annotationStartMs(a) >= startMs && annotationStartMs(a) <= endMs);
        if (globals.length > 0)
          out += `,"globalAnnotations":[${globals
            .sort((a, b) => annotationStartMs(a) - annotationStartMs(b))
            .map((a) => a.json)
            .join(',')}]`;
      }
    }
    const dps: string[] = [];
    for (const p of g.points) {
      if (p.ms < startMs || p.ms > endMs) continue;
      const ts = q.msResolution ? p.ms : Math.trunc(p.ms / 1000);
      const v = p.isInt ? p.int!.toString() : core.formatDouble(p.num);
      dps.push(arrays ? `[${ts},${v}]` : `"${ts}":${v}`);
    }
    out += arrays ? `,"dps":[${dps.join(',')}]}` : `,"dps":{${dps.join(',')}}}`;
    parts.push(out);
  }
  return '[' + parts.join(',') + ']';
}

export function handleQuery(core: TsdCore, req: TsdRequest): TsdResponse {
  if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'DELETE') {
    throw new BadRequest(405, 'Method not allowed', `The HTTP method [${req.method}] is not permitted for this endpoint`);
  }
  if (req.method === 'DELETE') throw new BadRequest(400, 'Bad request', 'Deleting data is not enabled (tsd.http.query.allow_delete=false)');
  const sub = (req.pathParts[req.apiVersion > 0 && /^v\d/i.test(req.pathParts[1] ?? '') ? 3 : 2] ?? '').toLowerCase();
  if (sub === 'last' || sub === 'exp' || sub === 'gexp') throw new BadRequest(501, `fake-tsd: /api/query/${sub} is not implemented`);
  core.stats.queries++;
  const q = req.method === 'POST' ? parsePostQuery(req.content) : parseGetQuery(req);
  if (q.queries) {
    const seen = new Set<string>();
    q.queries = q.queries.filter((s) => {
      const k = subQueryKey(s);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  let range: { startMs: number; endMs: number };
  try {
    range = validate(q, core.opts.now());
  } catch (e) {
    if (e instanceof IllegalArgument) throw new BadRequest(400, e.message, tsQueryToString(q));
    throw e;
  }
  const results: ResultGroup[] = [];
  try {
    for (const sq of q.queries!) results.push(...runSubQuery(core, sq, range.startMs, range.endMs));
  } catch (e) {
    // QueryRpc ErrorCB: NoSuchUniqueName and any other exception -> BadRequestException(ex), 400
    if (e instanceof NoSuchUniqueName || e instanceof IllegalData || e instanceof IllegalState || e instanceof IllegalArgument) throw BadRequest.from(e);
    if (e instanceof BadRequest || e instanceof InternalError) throw e;
    throw new BadRequest(400, (e as Error).message, (e as Error).message);
  }
  if (results.length > core.opts.maxSeriesPerQuery) {
    if (core.opts.seriesLimitBehavior === 'hang') return { status: 0, body: '', hang: true };
    throw new InternalError(
      `Too many callbacks in Deferred@1(state=PENDING, result=null, callback=<${core.opts.maxSeriesPerQuery} callbacks>, errback=<${core.opts.maxSeriesPerQuery} errbacks>) (size=${core.opts.maxSeriesPerQuery}) when attempting to add cb=net.opentsdb.tsd.HttpJsonSerializer$1DPsResolver@1, eb=passthrough`,
      'com.stumbleupon.async.CallbackOverflowError',
    );
  }
  return { status: 200, body: serialize(core, results, q, range.startMs, range.endMs, hasParam(req, 'arrays')) };
}
