import { request } from 'node:http';
import { gzipSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd, type FakeTsdOptions } from './index.js';
import { parsePutValue } from './java-number.js';
import { javaHashMapOrder } from './java-hashmap.js';
import { parseJson, JNumber, JObject } from './json.js';

const T0 = 1700000000; // 2023-11-14T22:13:20Z
const T0MS = T0 * 1000;

interface Res {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  /** set when the connection was dropped without an answer */
  error?: string;
}

function call(
  tsd: FakeTsd,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
  opts: { chunked?: boolean; timeoutMs?: number } = {},
): Promise<Res> {
  return new Promise((resolve) => {
    const buf = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const h: Record<string, string> = { ...headers };
    if (buf && !opts.chunked) h['Content-Length'] = String(buf.length);
    const req = request(tsd.url + path, { method, headers: h }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        let data = Buffer.concat(parts);
        if (res.headers['content-encoding'] === 'gzip') data = gunzipSync(data);
        resolve({ status: res.statusCode ?? 0, body: data.toString('utf8'), headers: res.headers });
      });
    });
    if (opts.timeoutMs) {
      req.setTimeout(opts.timeoutMs, () => {
        req.destroy();
        resolve({ status: 0, body: '', headers: {}, error: 'timeout' });
      });
    }
    req.on('error', (e) => resolve({ status: 0, body: '', headers: {}, error: String(e) }));
    if (buf) req.write(buf);
    req.end();
  });
}

function dp(metric: string, ts: number | string, value: string, tags: Record<string, string>): string {
  return `{"metric":${JSON.stringify(metric)},"timestamp":${ts},"value":${value},"tags":${JSON.stringify(tags)}}`;
}

function query(start: number | string, end: number | string | undefined, metric: string, sub: object = {}, top: object = {}): string {
  return JSON.stringify({ start, ...(end === undefined ? {} : { end }), msResolution: true, ...top, queries: [{ aggregator: 'none', metric, ...sub }] });
}

const started: FakeTsd[] = [];
async function tsd(opts: FakeTsdOptions = {}): Promise<FakeTsd> {
  const t = await startFakeTsd({ autoCreateMetrics: true, ...opts });
  started.push(t);
  return t;
}
afterEach(async () => {
  while (started.length) await started.pop()!.close();
});

describe('value typing (PutDataPointRpc + TSDB.addPoint)', () => {
  it('classifies tokens like 2.4.1 over HTTP: integers, everything else an 8-byte double', () => {
    const k = (v: string) => parsePutValue(v, 'm', 1n);
    expect(k('42')).toEqual({ kind: 'int', int: 42n });
    expect(k('9223372036854775807')).toEqual({ kind: 'int', int: 9223372036854775807n });
    expect(k('-9223372036854775808')).toEqual({ kind: 'int', int: -9223372036854775808n });
    expect(k('+5')).toEqual({ kind: 'int', int: 5n });
    expect(k('1.0')).toEqual({ kind: 'double', num: 1 });
    expect(k('1.5')).toEqual({ kind: 'double', num: 1.5 });
    expect(k('15.2')).toEqual({ kind: 'double', num: 15.2 });
    expect(k('1E3')).toEqual({ kind: 'double', num: 1000 });
    expect(k('1.5f')).toEqual({ kind: 'double', num: 1.5 }); // Java's parseDouble accepts a type suffix
    expect(parsePutValue('1.5', 'm', 1n, 'telnet')).toEqual({ kind: 'float', num: 1.5 });
    expect(parsePutValue('15.2', 'm', 1n, 'telnet')).toEqual({ kind: 'double', num: 15.2 });
    for (const bad of ['9223372036854775808', 'NaN', 'Infinity', '1.5x', '0x10', '12f', ' 1']) {
      expect(() => k(bad), bad).toThrow();
    }
    expect(() => k('1e309')).toThrow('value is NaN or Infinite: Infinity for metric=m timestamp=1');
  });

  it('stores and answers every value as the real TSD prints it', async () => {
    const t = await tsd();
    const cases: Array<[string, string]> = [
      ['"9223372036854775807"', '9223372036854775807'],
      ['-9223372036854775808', '-9223372036854775808'],
      ['9007199254740993', '9007199254740993'],
      ['"1.0"', '1.0'],
      ['1.0', '1.0'],
      ['"15.2"', '15.2'],
      ['"15.199999809265137"', '15.199999809265137'],
      ['"0.1"', '0.1'],
      ['"-0.0"', '-0.0'],
      ['"1e-300"', '1.0E-300'],
      ['1E3', '1000.0'],
      ['"2.5e-3"', '0.0025'],
      ['"16777217.0"', '1.6777217E7'],
      ['"3.141592653589793"', '3.141592653589793'],
    ];
    const body = `[${cases.map(([v], i) => dp('vals', T0, v, { c: `c${String(i).padStart(2, '0')}` })).join(',')}]`;
    const put = await call(t, 'POST', '/api/put?details&sync', body);
    expect(put.body).toBe(`{"success":${cases.length},"failed":0,"errors":[]}`);
    const r = await call(t, 'POST', '/api/query?arrays', query(T0MS - 1000, T0MS + 1000, 'vals'));
    expect(r.status).toBe(200);
    cases.forEach(([, text], i) =>
      expect(r.body, text).toContain(`"tags":{"c":"c${String(i).padStart(2, '0')}"},"aggregateTags":[],"dps":[[${T0MS},${text}]]`),
    );
    const kinds = t.dump().map((s) => s.points[0]!.kind);
    expect(kinds.slice(0, 3)).toEqual(['int', 'int', 'int']);
    expect(kinds.slice(3)).toEqual(Array(cases.length - 3).fill('double'));
  });

  it('rejects bad values with the real detail texts', async () => {
    const t = await tsd();
    const body = `[${dp('m', T0, '"NaN"', { h: 'a' })},${dp('m', T0, '"1e999"', { h: 'a' })},${dp('m', T0, '""', { h: 'a' })},${dp('m', 0, '1', { h: 'a' })},${dp('m', T0, '1', {})},${dp('m', 17000000000000, '1', { h: 'a' })}]`;
    const r = await call(t, 'POST', '/api/put?details', body);
    expect(r.status).toBe(400);
    const errors = (JSON.parse(r.body) as { errors: Array<{ error: string }> }).errors.map((e) => e.error);
    expect(errors).toEqual([
      'Unable to parse value to a number',
      'value is NaN or Infinite: Infinity for metric=m timestamp=1700000000',
      'Empty value',
      'Invalid timestamp',
      'Missing tags',
      'bad timestamp=17000000000000 when trying to add value=[1]/0 to metric=m, tags={h=a}',
    ]);
  });

  it('mixes second and millisecond timestamps; a 13-digit ts ending in 000 is a ms point', async () => {
    const t = await tsd();
    await call(
      t,
      'POST',
      '/api/put',
      `[${dp('mix', T0, '1', { h: 'a' })},${dp('mix', T0MS + 250, '2', { h: 'a' })},${dp('mix', T0MS + 2000, '5', { h: 'a' })}]`,
    );
    const ms = await call(t, 'POST', '/api/query?arrays', query(T0MS - 1000, T0MS + 10000, 'mix'));
    expect(ms.body).toContain(`"dps":[[${T0MS},1],[${T0MS + 250},2],[${T0MS + 2000},5]]`);
    const s = await call(t, 'POST', '/api/query?arrays', JSON.stringify({ start: T0 - 1, end: T0 + 10, queries: [{ aggregator: 'none', metric: 'mix' }] }));
    expect(s.body).toContain(`"dps":[[${T0},1],[${T0},2],[${T0 + 2},5]]`);
    const obj = await call(t, 'POST', '/api/query', query(T0MS - 1000, T0MS + 10000, 'mix'));
    expect(obj.body).toContain(`"dps":{"${T0MS}":1,"${T0MS + 250}":2,"${T0MS + 2000}":5}`);
  });

  it('prints an integer followed by a floating point value as a double (AggregationIterator.isInteger)', async () => {
    const t = await tsd();
    await call(
      t,
      'POST',
      '/api/put',
      `[${dp('sw', T0, '1', { h: 'a' })},${dp('sw', T0 + 1, '2', { h: 'a' })},${dp('sw', T0 + 2, '"2.5"', { h: 'a' })},${dp('sw', T0 + 3, '3', { h: 'a' })}]`,
    );
    const r = await call(t, 'POST', '/api/query?arrays', query(T0MS, T0MS + 1000, 'sw'));
    // the window holds 1 and 2; 2 is followed (outside the window) by 2.5
    expect(r.body).toContain(`"dps":[[${T0MS},1],[${T0MS + 1000},2.0]]`);
    expect(t.dump()[0]!.points.map((p) => p.kind)).toEqual(['int', 'int', 'double', 'int']);
  });
});

describe('/api/query', () => {
  it('includes both boundaries, keeps series with no point in the window, and rejects end <= start', async () => {
    const t = await tsd();
    const offs = [0, 999, 1000, 1001, 2000, 4999, 5000, 5001];
    await call(t, 'POST', '/api/put', `[${offs.map((o) => dp('b', T0MS + o, String(o), { h: 'a' })).join(',')}]`);
    const r = await call(t, 'POST', '/api/query?arrays', query(T0MS + 1000, T0MS + 5000, 'b'));
    expect(r.body).toBe(
      `[{"metric":"b","tags":{"h":"a"},"aggregateTags":[],"dps":[[1700000001000,1000],[1700000001001,1001],[1700000002000,2000],[1700000004999,4999],[1700000005000,5000]]}]`,
    );
    const empty = await call(t, 'POST', '/api/query?arrays', query(T0MS + 100000, T0MS + 200000, 'b'));
    expect(empty.body).toBe('[{"metric":"b","tags":{"h":"a"},"aggregateTags":[],"dps":[]}]');
    const later = await call(t, 'POST', '/api/query?arrays', query(T0MS + 7200_000, T0MS + 7300_000, 'b'));
    expect(later.body).toBe('[]');
    const bad = await call(t, 'POST', '/api/query?arrays', query(T0MS + 1000, T0MS + 1000, 'b'));
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('"message":"End time [1700000001000] must be greater than the start time [1700000001000]"');
    expect(bad.body).toContain('"details":"TSQuery(start_time=1700000001000, end_time=1700000001000, subQueries[TSSubQuery(metric=b, ');
  });

  it('parses start/end like DateTime.parseDateTimeString (seconds, ms, relative, the .5 quirk)', async () => {
    const now = T0MS + 3600_000;
    const t = await tsd({ now: () => now });
    await call(t, 'POST', '/api/put', `[${dp('rel', T0MS + 1800_000, '1', { h: 'a' })},${dp('rel', T0MS + 3000_000, '2', { h: 'a' })}]`);
    const rel = await call(t, 'POST', '/api/query?arrays', query('1h-ago', undefined, 'rel'));
    expect(rel.body).toContain(`"dps":[[${T0MS + 1800_000},1],[${T0MS + 3000_000},2]]`);
    const rel2 = await call(t, 'POST', '/api/query?arrays', query('20m-ago', 'now', 'rel'));
    expect(rel2.body).toContain(`"dps":[[${T0MS + 3000_000},2]]`);
    // "<10 digits>.5" is read as 11 digits of milliseconds: 1970, so everything is after it
    const dotted = await call(t, 'POST', '/api/query?arrays', query(`${T0}.5`, T0MS + 3600_000, 'rel'));
    expect(dotted.status).toBe(200);
    const badRel = await call(t, 'POST', '/api/query?arrays', query('1x-ago', undefined, 'rel'));
    expect(badRel.body).toContain('Invalid duration (suffix): 1x');
  });

  it('answers unknown names like the real one', async () => {
    const t = await tsd();
    await call(t, 'POST', '/api/put', dp('known', T0, '1', { host: 'a' }));
    const m = await call(t, 'POST', '/api/query?arrays', query(T0MS, T0MS + 1000, 'xyz'));
    expect(m.status).toBe(400);
    expect(m.body).toContain(
      `{"error":{"code":400,"message":"No such name for 'metrics': 'xyz'","details":"No such name for 'metrics': 'xyz'","trace":"net.opentsdb.tsd.BadRequestException`,
    );
    const v = await call(
      t,
      'POST',
      '/api/query?arrays',
      query(T0MS, T0MS + 1000, 'known', { filters: [{ type: 'literal_or', tagk: 'host', filter: 'a|zzz', groupBy: false }] }),
    );
    expect(v.body).toContain(`"message":"No such name for 'tagv': 'zzz'"`);
    const k = await call(
      t,
      'POST',
      '/api/query?arrays',
      query(T0MS, T0MS + 1000, 'known', { filters: [{ type: 'wildcard', tagk: 'nokey', filter: '*', groupBy: false }] }),
    );
    expect(k.body).toContain(`"message":"No such name for 'tagk': 'nokey'"`);
    const skip = await tsd({ skipUnresolvedTagvs: true });
    await call(skip, 'POST', '/api/put', dp('known', T0, '1', { host: 'a' }));
    const s = await call(
      skip,
      'POST',
      '/api/query?arrays',
      query(T0MS, T0MS + 1000, 'known', { filters: [{ type: 'literal_or', tagk: 'host', filter: 'a|zzz', groupBy: false }] }),
    );
    expect(s.body).toContain('"tags":{"host":"a"}');
  });

  it('filters: tag key required, literal/wildcard/regexp/not_literal_or semantics', async () => {
    const t = await tsd();
    await call(
      t,
      'POST',
      '/api/put',
      `[${dp('f', T0, '1', { host: 'alpha' })},${dp('f', T0, '2', { host: 'zulu' })},${dp('f', T0, '3', { dc: 'x' })},${dp('f', T0, '4', { host: 'Mike', dc: 'y' })}]`,
    );
    const hosts = async (filters: object[], extra: object = {}) => {
      const r = await call(t, 'POST', '/api/query?arrays', query(T0MS - 1000, T0MS + 1000, 'f', { filters, ...extra }));
      return (JSON.parse(r.body) as Array<{ tags: Record<string, string> }>).map((s) => s.tags.host ?? `dc=${s.tags.dc}`);
    };
    expect(await hosts([])).toEqual(['alpha', 'zulu', 'Mike', 'dc=x']);
    expect(await hosts([{ type: 'not_literal_or', tagk: 'host', filter: 'zulu' }])).toEqual(['alpha', 'Mike']);
    expect(await hosts([{ type: 'regexp', tagk: 'host', filter: '^[a-m]' }])).toEqual(['alpha']);
    expect(await hosts([{ type: 'iliteral_or', tagk: 'host', filter: 'MIKE|ALPHA' }])).toEqual(['alpha', 'Mike']);
    expect(await hosts([{ type: 'wildcard', tagk: 'host', filter: '*u*' }])).toEqual(['zulu']);
    expect(await hosts([{ type: 'iwildcard', tagk: 'host', filter: 'm*' }])).toEqual(['Mike']);
    expect(await hosts([{ type: 'wildcard', tagk: 'host', filter: '*' }], { explicitTags: true })).toEqual(['alpha', 'zulu']);
    const bad = await call(t, 'POST', '/api/query', query(T0MS, T0MS + 1000, 'f', { filters: [{ type: 'bogus', tagk: 'host', filter: 'x' }] }));
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('"message":"Unable to parse the given JSON"');
    expect(bad.body).toContain('Could not find a tag value filter of the type: bogus');
  });

  it('counts points and series with 0all-count (end exclusive, doubles)', async () => {
    const t = await tsd();
    const pts: string[] = [];
    [0, 1, 2, 3, 4].forEach((s) => pts.push(dp('cnt', T0MS + s * 1000, '1', { host: 'a' })));
    [0, 1, 7].forEach((s) => pts.push(dp('cnt', T0MS + s * 1000, '1', { host: 'b' })));
    [0, 9].forEach((s) => pts.push(dp('cnt', T0MS + s * 1000 + 1, '"1.5"', { host: 'c' })));
    await call(t, 'POST', '/api/put', `[${pts.join(',')}]`);
    const q = (agg: string, ds: string | undefined, end = T0MS + 60000, extra: object = {}) =>
      call(
        t,
        'POST',
        '/api/query?arrays',
        JSON.stringify({ start: T0MS, end, msResolution: true, queries: [{ metric: 'cnt', aggregator: agg, ...(ds ? { downsample: ds } : {}), ...extra }] }),
      );
    expect((await q('sum', '0all-count')).body).toBe(`[{"metric":"cnt","tags":{},"aggregateTags":["host"],"dps":[[${T0MS},10.0]]}]`);
    expect((await q('count', '0all-count')).body).toBe(`[{"metric":"cnt","tags":{},"aggregateTags":["host"],"dps":[[${T0MS},3.0]]}]`);
    expect((await q('sum', '0all-count', T0MS + 4000)).body).toContain(`"dps":[[${T0MS},7.0]]`);
    const none = JSON.parse((await q('none', '0all-count')).body) as Array<{ dps: number[][] }>;
    expect(none.map((s) => s.dps[0]![1])).toEqual([5, 3, 2]);
    const grouped = await q('sum', '0all-count', T0MS + 60000, { filters: [{ type: 'wildcard', tagk: 'host', filter: '*', groupBy: true }] });
    expect(grouped.body).toContain('"tags":{"host":"a"},"aggregateTags":[],"dps":[[1700000000000,5.0]]');
    const bad = await q('none', '1m-none');
    expect(bad.body).toContain('"message":"cannot use the NONE aggregator for downsampling"');
  });

  it('fails like the real serializer when an answer has too many series', async () => {
    const t = await tsd({ maxSeriesPerQuery: 5 });
    await call(t, 'POST', '/api/put', `[${[...Array(6).keys()].map((i) => dp('many', T0, '1', { host: `h${i}` })).join(',')}]`);
    const r = await call(t, 'POST', '/api/query?arrays', query(T0MS - 1000, T0MS + 1000, 'many'));
    expect(r.status).toBe(500);
    expect(r.body).toContain('"message":"Too many callbacks in Deferred');
    const ok = await call(
      t,
      'POST',
      '/api/query?arrays',
      query(T0MS - 1000, T0MS + 1000, 'many', { filters: [{ type: 'regexp', tagk: 'host', filter: '^h[0-4]$' }] }),
    );
    expect(ok.status).toBe(200);
    const hang = await tsd({ maxSeriesPerQuery: 5, seriesLimitBehavior: 'hang' });
    await call(hang, 'POST', '/api/put', `[${[...Array(6).keys()].map((i) => dp('many', T0, '1', { host: `h${i}` })).join(',')}]`);
    const h = await call(hang, 'POST', '/api/query?arrays', query(T0MS - 1000, T0MS + 1000, 'many'), {}, { timeoutMs: 300 });
    expect(h.error).toBe('timeout');
  });

  it('tags of an answer come out in Java HashMap order', async () => {
    const t = await tsd();
    await call(t, 'POST', '/api/put', dp('ord', T0, '1', { host: 'mike', dc: 'y', zone: 'z1', rack: 'r2' }));
    const r = await call(t, 'POST', '/api/query?arrays', query(T0MS - 1000, T0MS + 1000, 'ord'));
    const keys = Object.keys((JSON.parse(r.body) as Array<{ tags: object }>)[0]!.tags);
    expect(keys).toEqual(javaHashMapOrder(keys, { kind: 'copy' }));
  });
});

describe('duplicates (HBase cells + CompactionQueue)', () => {
  it('same qualifier overwrites, a different type conflicts, identical bytes are harmless', async () => {
    const t = await tsd();
    const put = (m: string, v: string) => call(t, 'POST', '/api/put?details', dp(m, T0MS + 7000, v, { host: 'a' }));
    await put('d1', '1');
    await put('d1', '2');
    expect((await call(t, 'POST', '/api/query?arrays', query(T0MS, T0MS + 10000, 'd1'))).body).toContain(`"dps":[[${T0MS + 7000},2]]`);
    await put('d2', '1');
    await put('d2', '"1.0"');
    const conflict = await call(t, 'POST', '/api/query?arrays', query(T0MS, T0MS + 10000, 'd2'));
    expect(conflict.status).toBe(400);
    expect(conflict.body).toContain(
      '"message":"Duplicate timestamp for key=[0, 0, 2, 101, 83, -19, -32, 0, 0, 1, 0, 0, 1], ms_offset=807000, older=[63, -16, 0, 0, 0, 0, 0, 0], newer=[1]; set tsd.storage.fix_duplicates=true to fix automatically or run Fsck"',
    );
    await put('d3', '1');
    await put('d3', '1');
    expect((await call(t, 'POST', '/api/query?arrays', query(T0MS, T0MS + 10000, 'd3'))).status).toBe(200);
  });

  it('after compaction even a same-type rewrite conflicts; fix_duplicates keeps the newest', async () => {
    const t = await tsd();
    await call(t, 'POST', '/api/put', dp('c', T0, '1', { host: 'a' }));
    t.compactNow();
    await call(t, 'POST', '/api/put', dp('c', T0, '2', { host: 'a' }));
    expect((await call(t, 'POST', '/api/query?arrays', query(T0MS, T0MS + 1000, 'c'))).status).toBe(400);
    const fix = await tsd({ fixDuplicates: true });
    await call(fix, 'POST', '/api/put', dp('c', T0, '1', { host: 'a' }));
    await call(fix, 'POST', '/api/put', dp('c', T0, '"1.0"', { host: 'a' }));
    expect((await call(fix, 'POST', '/api/query?arrays', query(T0MS, T0MS + 1000, 'c'))).body).toContain(`"dps":[[${T0MS},1.0]]`);
  });
});

describe('/api/put answers and limits', () => {
  it('204 / 400 / details / summary / unknown metric / read-only', async () => {
    const t = await tsd({ autoCreateMetrics: false });
    await call(t, 'POST', '/api/uid/assign', '{"metric":["p"]}');
    expect((await call(t, 'POST', '/api/put', dp('p', T0, '1', { host: 'a' }))).status).toBe(204);
    const bad = await call(t, 'POST', '/api/put', `[${dp('p', T0, '1', { host: 'a' })},${dp('nope', T0, '1', { host: 'a' })}]`);
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('"message":"One or more data points had errors","details":"Please see the TSD logs or append \\"details\\" to the put request"');
    const details = await call(t, 'POST', '/api/put?details&sync', dp('nope', T0, '1', { host: 'a' }));
    expect(details.body).toBe(
      '{"success":0,"failed":1,"errors":[{"datapoint":{"metric":"nope","timestamp":1700000000,"value":"1","tags":{"host":"a"}},"error":"Unknown metric"}]}',
    );
    const summary = await call(t, 'POST', '/api/put?summary&sync_timeout=5000', dp('p', T0 + 1, '1', { host: 'a' }));
    expect(summary.body).toBe('{"success":1,"timeouts":0,"failed":0}');
    const tags9 = await call(t, 'POST', '/api/put?details', dp('p', T0, '1', Object.fromEntries([...Array(9).keys()].map((i) => [`k${i}`, 'v']))));
    expect(tags9.body).toContain('"error":"Too many tags: 9 maximum allowed: 8, tags: {k0=v, k1=v, k2=v, k3=v, k4=v, k5=v, k6=v, k7=v, k8=v}"');
    const name = await call(t, 'POST', '/api/put?details', dp('p', T0, '1', { city: 'São Paulo' }));
    expect(name.body).toContain('"error":"Invalid tag value with key [city] (\\"São Paulo\\"): illegal character:  "');
    const ro = await tsd({ readOnly: true });
    const r404 = await call(ro, 'POST', '/api/put', dp('p', T0, '1', { host: 'a' }));
    expect(r404.status).toBe(404);
    expect(r404.body).toBe('{"error":{"code":404,"message":"Endpoint not found"}}');
  });

  it('bodies over 8192 bytes are "chunked": 400 HTML page unless chunking is enabled', async () => {
    const t = await tsd({ autoCreateMetrics: false });
    const pad = (n: number) => `[${dp('p', T0, '1', { host: 'a' })}`.padEnd(n - 1, ' ') + ']';
    await call(t, 'POST', '/api/uid/assign', '{"metric":["p"]}');
    expect((await call(t, 'POST', '/api/put', pad(8192))).status).toBe(204);
    const big = await call(t, 'POST', '/api/put', pad(8193));
    expect(big.status).toBe(400);
    expect(big.headers['content-type']).toBe('text/html; charset=UTF-8');
    expect(big.body).toContain('<blockquote>Chunked request not supported.</blockquote>');
    const json = await call(t, 'POST', '/api/put?json', pad(8193));
    expect(json.body).toBe('{"err":"Chunked request not supported."}');
    const te = await call(t, 'POST', '/api/put', pad(300), {}, { chunked: true });
    expect(te.status).toBe(400);
    const expect100 = await call(t, 'POST', '/api/put', pad(300), { Expect: '100-continue' });
    expect(expect100.status).toBe(400);

    const c = await tsd({ enableChunked: true, maxChunk: 4096 });
    expect((await call(c, 'POST', '/api/put', pad(8000))).status).toBe(204); // not chunked: max_chunk does not apply
    expect((await call(c, 'POST', '/api/put', pad(4096), {}, { chunked: true })).status).toBe(204);
    const over = await call(c, 'POST', '/api/put', pad(9000));
    expect(over.status).toBe(0); // TooLongFrameException: connection closed, no answer
    expect(over.error).toBeDefined();
  });

  it('gzip bodies are limited by their compressed size; answers are gzipped on request', async () => {
    const t = await tsd();
    const pts = [...Array(300).keys()].map((i) => dp('gz', T0 + i, String(i), { host: 'a' }));
    const raw = `[${pts.join(',')}]`;
    expect(raw.length).toBeGreaterThan(20000);
    const ok = await call(t, 'POST', '/api/put?summary', gzipSync(raw), { 'Content-Encoding': 'gzip' });
    expect(ok.body).toBe('{"success":300,"failed":0}');
    const corrupt = await call(t, 'POST', '/api/put', Buffer.from('not gzip at all'), { 'Content-Encoding': 'gzip' });
    expect(corrupt.error).toBeDefined();
    const r = await call(t, 'POST', '/api/query?arrays', query(T0MS, T0MS + 400_000, 'gz', { downsample: '0all-count' }), { 'Accept-Encoding': 'gzip' });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.body).toContain(`"dps":[[${T0MS},300.0]]`);
    expect(t.stats.puts).toBe(1); // the corrupt body never reached the RPC
    expect(t.stats.requests.map((x) => x.path)).toEqual(['/api/put?summary', '/api/put', '/api/query?arrays']);
  });
});

describe('/api/uid/assign', () => {
  it('200 when all new, 400 with per-name errors otherwise (HashMap order of the answer)', async () => {
    const t = await tsd({ autoCreateMetrics: false });
    const a = await call(t, 'POST', '/api/uid/assign', '{"metric":["a.a","a.b"],"tagk":["fk"],"tagv":["fv"]}');
    expect(a.status).toBe(200);
    expect(a.body).toBe('{"metric":{"a.a":"000001","a.b":"000002"},"tagk":{"fk":"000001"},"tagv":{"fv":"000001"}}');
    const b = await call(t, 'POST', '/api/uid/assign', '{"metric":["a.a","a.c"],"tagk":["fk","fk2"],"tagv":["fv","fv2"]}');
    expect(b.status).toBe(400);
    expect(b.body).toBe(
      '{"tagv_errors":{"fv":"Name already exists with UID: 000001"},"metric":{"a.c":"000003"},"tagk":{"fk2":"000002"},"tagk_errors":{"fk":"Name already exists with UID: 000001"},"metric_errors":{"a.a":"Name already exists with UID: 000001"},"tagv":{"fv2":"000002"}}',
    );
    const c = await call(t, 'POST', '/api/uid/assign', '{"metric":["bad name!","a.d"]}');
    expect(c.body).toBe('{"metric":{"a.d":"000004"},"metric_errors":{"bad name!":"Invalid metric (\\"bad name!\\"): illegal character:  "}}');
  });
});

describe('/api/suggest and ISO-8859-1 names', () => {
  it('sorted byte prefix, max default 25, names starting outside ! .. } not listed for q=', async () => {
    const t = await tsd();
    const names = [
      'b.x',
      'B.x',
      '1min.load',
      'Sys.CPU',
      'a',
      'ab',
      'abc',
      'zürich.m',
      'über.m',
      ...[...Array(30).keys()].map((i) => `m${String(i).padStart(2, '0')}`),
    ];
    await call(t, 'POST', '/api/put', `[${names.map((m) => dp(m, T0, '1', { host: 'a' })).join(',')}]`);
    const all = JSON.parse((await call(t, 'GET', '/api/suggest?type=metrics&q=&max=100000')).body) as string[];
    expect(all.slice(0, 7)).toEqual(['1min.load', 'B.x', 'Sys.CPU', 'a', 'ab', 'abc', 'b.x']);
    expect(all).toContain('zürich.m');
    expect(all).not.toContain('über.m'); // first byte 0xFC is past '~'
    expect((await call(t, 'GET', '/api/suggest?type=metrics&q=%C3%BC')).body).toBe('["über.m"]');
    expect(JSON.parse((await call(t, 'GET', '/api/suggest?type=metrics&q=')).body)).toHaveLength(25);
    expect((await call(t, 'GET', '/api/suggest?type=metrics&q=ab')).body).toBe('["ab","abc"]');
    expect((await call(t, 'GET', '/api/suggest?type=metrics&q=A')).body).toBe('[]');
    expect((await call(t, 'GET', '/api/suggest?type=tagk&q=')).body).toBe('["host"]');
    expect((await call(t, 'GET', '/api/suggest?type=tagv&q=a&max=1')).body).toBe('["a"]');
    expect((await call(t, 'GET', '/api/suggest?type=foo')).body).toContain("Invalid 'type' parameter:foo");
    expect((await call(t, 'GET', '/api/suggest?type=metrics&max=x')).body).toContain("Unable to parse 'max' as a number");
  });

  it('non-Latin-1 names: stored as "?", clash in the caches, read back as "?" after a restart', async () => {
    const t = await tsd();
    await call(t, 'POST', '/api/put', dp('m', T0, '1', { city: '東京' }));
    expect((await call(t, 'POST', '/api/query?arrays', query(T0MS, T0MS + 1000, 'm'))).body).toContain('"tags":{"city":"東京"}');
    const s = await call(t, 'GET', '/api/suggest?type=tagv&q=&max=100');
    expect(s.status).toBe(500);
    expect(s.body).toContain('"message":"Unexpected exception caught by UniqueId(tsdb-uid, tagv, 3).suggest()"');
    expect((await call(t, 'GET', '/api/suggest?type=tagv&q=&max=100')).body).toBe('["??"]'); // the name cache now has "??"
    const clash = await call(t, 'POST', '/api/put?details', dp('m', T0 + 1, '2', { city: '大阪' }));
    expect(clash.body).toContain('"error":"Unexpected exception"');
    await call(t, 'POST', '/api/put?details', dp('m', T0 + 1, '2', { city: '大阪' })); // second try succeeds, on 東京's UID
    expect((await call(t, 'POST', '/api/query?arrays', query(T0MS, T0MS + 2000, 'm'))).body).toContain(
      `"tags":{"city":"東京"},"aggregateTags":[],"dps":[[${T0MS},1],[${T0MS + 1000},2]]`,
    );
    t.restart();
    expect((await call(t, 'POST', '/api/query?arrays', query(T0MS, T0MS + 2000, 'm'))).body).toContain('"tags":{"city":"??"}');
    expect(t.uids().tagv).toEqual([{ name: '??', uid: 1 }]);
  });
});

describe('/api/search/lookup', () => {
  it('useMeta=false: one entry per hour row, limit 25 by default; useMeta=true: empty', async () => {
    const t = await tsd();
    const pts: string[] = [];
    for (let i = 0; i < 20; i++) for (const h of [0, 1, 2]) pts.push(dp('lk', T0 + h * 3600, String(i), { host: `h${String(i).padStart(2, '0')}` }));
    await call(t, 'POST', '/api/put', `[${pts.join(',')}]`);
    const r = JSON.parse((await call(t, 'POST', '/api/search/lookup', '{"metric":"lk","useMeta":false}')).body) as {
      limit: number;
      totalResults: number;
      results: Array<{ tsuid: string; tags: { host: string } }>;
    };
    expect(r.limit).toBe(25);
    expect(r.totalResults).toBe(25);
    expect(r.results.slice(0, 21).map((x) => x.tags.host)).toEqual([...[...Array(20).keys()].map((i) => `h${String(i).padStart(2, '0')}`), 'h00']);
    const all = JSON.parse((await call(t, 'POST', '/api/search/lookup', '{"metric":"lk","useMeta":false,"limit":0}')).body) as { totalResults: number };
    expect(all.totalResults).toBe(60);
    const tag = JSON.parse((await call(t, 'POST', '/api/search/lookup', '{"metric":"lk","tags":[{"key":"host","value":"h03"}],"useMeta":false}')).body) as {
      totalResults: number;
    };
    expect(tag.totalResults).toBe(3);
    expect((await call(t, 'POST', '/api/search/lookup', '{"metric":"lk","limit":5}')).body).toMatch(
      /^\{"type":"LOOKUP","metric":"lk","limit":5,"time":[0-9.E]+,"results":\[\],"startIndex":0,"totalResults":0\}$/,
    );
    const unknown = await call(t, 'POST', '/api/search/lookup', '{"metric":"nope","useMeta":false}');
    expect(unknown.status).toBe(404);
  });
});

describe('misc endpoints, routing and faults', () => {
  it('version, config, aggregators', async () => {
    const t = await tsd({ autoCreateMetrics: false, enableChunked: true, maxChunk: 65536, maxTags: 12 });
    const v = JSON.parse((await call(t, 'GET', '/api/version')).body) as Record<string, string>;
    expect(v.version).toBe('2.4.1');
    const c = JSON.parse((await call(t, 'GET', '/api/config')).body) as Record<string, string>;
    expect(c['tsd.core.auto_create_metrics']).toBe('false');
    expect(c['tsd.http.request.enable_chunked']).toBe('true');
    expect(c['tsd.http.request.max_chunk']).toBe('65536');
    expect(c['tsd.storage.max_tags']).toBe('12');
    expect(c['tsd.storage.fix_duplicates']).toBe('false');
    expect(c['tsd.mode']).toBe('rw');
    expect(Object.keys(c)).toEqual([...Object.keys(c)].sort());
    const d = JSON.parse((await call(await tsd(), 'GET', '/api/config')).body) as Record<string, string>;
    expect(d['tsd.storage.max_tags']).toBeUndefined(); // not a default key: absent unless configured
    expect(Object.keys(d)).toHaveLength(95); // as many as a real 2.4.1 started with --port/--staticroot/--cachedir/--config
    const a = JSON.parse((await call(t, 'GET', '/api/aggregators')).body) as string[];
    expect(a).toContain('none');
    expect(a).toContain('sum');
    expect(a).toContain('count');
    expect((await call(t, 'GET', '/api/v1/version')).status).toBe(200);
    expect((await call(t, 'GET', '/api/v2/version')).status).toBe(501);
    expect((await call(t, 'GET', '/api/nope')).body).toBe('{"error":{"code":404,"message":"Endpoint not found"}}');
    expect((await call(t, 'PUT', '/api/put')).status).toBe(405);
  });

  it('fault hook: injected statuses for N calls and socket resets', async () => {
    let n = 0;
    const t = await tsd({
      faults: (req) => {
        if (req.path.startsWith('/api/query') && n++ < 2) return { status: 424, body: { error: { code: 424, message: 'HBase is down' } } };
        if (req.path.startsWith('/api/suggest')) return 'reset';
        return undefined;
      },
    });
    await call(t, 'POST', '/api/put', dp('f', T0, '1', { host: 'a' }));
    expect((await call(t, 'POST', '/api/query', query(T0MS, T0MS + 1, 'f'))).status).toBe(424);
    expect((await call(t, 'POST', '/api/query', query(T0MS, T0MS + 1, 'f'))).status).toBe(424);
    expect((await call(t, 'POST', '/api/query', query(T0MS, T0MS + 1, 'f'))).status).toBe(200);
    expect((await call(t, 'GET', '/api/suggest?type=metrics')).error).toBeDefined();
  });
});

describe('JSON reading (Jackson-like)', () => {
  it('keeps number tokens verbatim and takes the last duplicate key', () => {
    const v = parseJson('{"a":1.0,"b":9223372036854775807,"a":NaN} trailing') as JObject;
    expect((v.get('a') as JNumber).text).toBe('NaN');
    expect((v.get('b') as JNumber).text).toBe('9223372036854775807');
    expect(() => parseJson('{"a":01}')).toThrow('Leading zeroes');
  });
});

describe('the fake TSD reads small query times like 2.4.1', () => {
  it('a 10-digit ms start is read as seconds, a dotted one as ms, and a start below 2^32 ms scans as seconds', async () => {
    const tsd = await startFakeTsd({ autoCreateMetrics: true });
    try {
      const put = await fetch(`${tsd.url}/api/put`, {
        method: 'POST',
        body: JSON.stringify([
          { metric: 'old.m', timestamp: 5_000_000, value: 1, tags: { h: 'a' } },
          { metric: 'old.m', timestamp: 9_000_000, value: 2, tags: { h: 'a' } },
        ]),
      });
      expect(put.status).toBe(204);
      const query = async (start: unknown, end: unknown): Promise<{ status: number; text: string }> => {
        const res = await fetch(`${tsd.url}/api/query?arrays`, {
          method: 'POST',
          body: JSON.stringify({ start, end, msResolution: true, queries: [{ aggregator: 'none', metric: 'old.m' }] }),
        });
        return { status: res.status, text: await res.text() };
      };
      const misread = await query(9_946_800_000, 10_551_599_999);
      expect(misread.status).toBe(400);
      expect(misread.text).toContain('must be greater than the start time');
      expect((await query('0004993200.000', '0009999999.999')).text).toBe(
        '[{"metric":"old.m","tags":{"h":"a"},"aggregateTags":[],"dps":[[5000000000,1],[9000000000,2]]}]',
      );
      expect((await query('0004000000.000', '0009999999.999')).text).toBe('[]'); // scanned from 4e9 s, as on the real TSD
      // 7200000 ms is below 2^32: rows are scanned from 7200000 s (1970-03-25), as on the real TSD.
      expect((await query('0000007200.000', '0009999999.999')).text).toBe('[{"metric":"old.m","tags":{"h":"a"},"aggregateTags":[],"dps":[[9000000000,2]]}]');
      expect((await query('0000000000.000', '0009999999.999')).text).toContain('[5000000000,1],[9000000000,2]');
    } finally {
      await tsd.close();
    }
  });
});
