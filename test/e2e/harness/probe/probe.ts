// Scratch probe of OpenTSDB 2.4.1 behaviour that tsdb-backup depends on, against the REAL TSDs of
// the harness. Prints every request with the exact status and body.
//
//   node --import tsx test/e2e/harness/probe/probe.ts [--out FILE]
//
// Starts its own harness (fresh HBase), so every name used here is new. Results of a run are kept
// in probe/results.txt.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { javaBinary, startHarness, type Harness } from '../harness.js';
import { resolveClasspaths, TARGET_DIR } from '../maven.js';
import { JvmProcess } from '../processes.js';
import { logback, tablesFor, TARGET_SETTINGS, writeTsdConfig } from '../configs.js';
import { http } from './http.js';

const out: string[] = [];
function say(line = ''): void {
  out.push(line);
  console.log(line);
}

const MAX_BODY = 3000;
function clip(s: string, max = MAX_BODY): string {
  return s.length > max ? `${s.slice(0, max)}... [${s.length} chars]` : s;
}

/** Error bodies carry a Java stack trace of ~7 kB: keep its first line only. */
function shortenTrace(body: string): string {
  return body.replace(/"trace":"((?:[^"\\]|\\.)*)"/, (_m, t: string) => `"trace":"${t.split('\\n')[0]}\\n\\tat ... (trimmed by probe)"`);
}

async function show(
  label: string,
  method: string,
  url: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
  opts: { chunked?: boolean; quietBody?: boolean; full?: boolean } = {},
): Promise<{ status: number; body: string }> {
  let res: { status: number; body: string };
  try {
    res = await http(method, url, body, headers, opts);
  } catch (err) {
    res = { status: 0, body: `(no HTTP response: ${String(err)})` };
  }
  const path = url.replace(/^http:\/\/[^/]+/, '');
  say(`--- ${label}`);
  const size =
    body === undefined
      ? ''
      : ` (${Buffer.byteLength(body)} bytes${opts.chunked ? ', chunked' : ''}${headers['Content-Encoding'] ? `, ${headers['Content-Encoding']}` : ''})`;
  say(`> ${method} ${path}${size}`);
  if (body !== undefined && !opts.quietBody && !Buffer.isBuffer(body)) say(`> ${clip(body)}`);
  say(`< ${res.status} ${clip(shortenTrace(res.body), opts.full ? Infinity : MAX_BODY)}`);
  return res;
}

const T0 = 1700000000; // seconds; 2023-11-14T22:13:20Z
const T0MS = T0 * 1000;

function q(start: number | string, end: number | string, metric: string, extra: object = {}, top: object = {}): string {
  return JSON.stringify({ start, end, msResolution: true, ...top, queries: [{ aggregator: 'none', metric, ...extra }] });
}

async function put(url: string, points: string, label: string): Promise<void> {
  await show(label, 'POST', `${url}/api/put?details&sync`, points);
}

function dp(metric: string, ts: number, value: string, tags: Record<string, string>): string {
  // value is inserted as raw JSON text: a number token or a quoted string
  return `{"metric":${JSON.stringify(metric)},"timestamp":${ts},"value":${value},"tags":${JSON.stringify(tags)}}`;
}

/** Another TSD on the target's tables (port = the unused S3 port), to see what a restarted TSD reads. */
async function startFreshTarget(h: Harness): Promise<{ url: string; stop: () => Promise<void> }> {
  const cp = await resolveClasspaths(() => undefined);
  const dir = join(h.workDir, 'target-fresh');
  const conf = writeTsdConfig(dir, {
    name: 'target',
    port: h.ports.s3,
    zkPort: h.ports.zookeeper,
    tables: tablesFor('tsdb-target'),
    settings: TARGET_SETTINGS,
  });
  const proc = new JvmProcess({
    name: 'target-fresh',
    java: javaBinary(),
    jvmArgs: ['-Xmx256m', `-Dlogback.configurationFile=${join(dir, 'logback.xml')}`],
    classpath: `${cp.launcher}:${cp.tsd}`,
    mainClass: 'net.opentsdb.tools.TSDMain',
    args: ['--config', conf],
    cwd: dir,
    logFile: join(h.workDir, 'target-fresh.log'),
  });
  const url = `http://127.0.0.1:${h.ports.s3}`;
  await proc.waitForLine(/Ready to serve/, 60_000);
  return { url, stop: () => proc.stop() };
}

/** Sends lines to the TSD's telnet-style interface and returns whatever it answered within 1 s. */
function telnet(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const sock = connect(port, '127.0.0.1', () => sock.write(lines.join('\n') + '\n'));
    sock.on('data', (d: Buffer) => (answer += d.toString()));
    sock.on('error', reject);
    setTimeout(() => {
      sock.end();
      resolve(answer);
    }, 1000);
  });
}

/** net.opentsdb.tools.DumpSeries (`tsdb scan`) against the source tables: raw cells from HBase. */
function dumpSeries(h: Harness, metric: string, importFormat: boolean): void {
  const dir = join(h.workDir, 'source');
  const lb = join(h.workDir, 'probe-logback.xml');
  writeFileSync(lb, logback({}, 'ERROR'));
  const cp = `${join(TARGET_DIR, 'launcher', 'classes')}:${spawnSync('cat', [join(TARGET_DIR, 'tsd', 'classpath.txt')])
    .stdout.toString()
    .trim()}`;
  const args = [
    '-Xmx256m',
    `-Dlogback.configurationFile=${lb}`,
    '-cp',
    cp,
    'net.opentsdb.tools.DumpSeries',
    '--config',
    join(dir, 'opentsdb.conf'),
    ...(importFormat ? ['--import'] : []),
    String(T0 - 7200),
    'sum',
    metric,
  ];
  const r = spawnSync(javaBinary(), args, { encoding: 'utf8' });
  say(
    `--- DumpSeries${importFormat ? ' --import' : ''} ${metric} (raw HBase cells; columns: qualifier bytes, value bytes, offset, l=integer/f=float, timestamp)`,
  );
  say((r.stdout || r.stderr).trimEnd());
}

async function main(): Promise<void> {
  const outFile = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : undefined;
  const h = await startHarness({ log: (l) => console.error(`[harness] ${l}`) });
  const S = h.sourceUrl;
  const T = h.targetUrl;
  try {
    say(`# OpenTSDB 2.4.1 probe, ${new Date().toISOString()}; source ${S} (auto-create, chunked, max_chunk 1 MiB), target ${T} (defaults)`);
    await show('version (source)', 'GET', `${S}/api/version`);

    // ---------------------------------------------------------------- (a) query shape and bounds
    say('\n## (a) /api/query?arrays: shape, boundaries, unknown metric, seconds vs ms');
    const offsets = [0, 999, 1000, 1001, 2000, 4999, 5000, 5001, 5500, 6000];
    await put(
      S,
      `[${offsets.map((o) => dp('probe.bound', T0MS + o, String(o), { host: 'a' })).join(',')}]`,
      'seed probe.bound: ms points at T0+{0,999,1000,1001,2000,4999,5000,5001,5500,6000} ms, value = offset',
    );
    await show('a1 start=T0+1000ms end=T0+5000ms', 'POST', `${S}/api/query?arrays`, q(T0MS + 1000, T0MS + 5000, 'probe.bound'));
    await show('a2 start=T0+1001ms end=T0+4999ms', 'POST', `${S}/api/query?arrays`, q(T0MS + 1001, T0MS + 4999, 'probe.bound'));
    await show('a3 start=end=T0+1000ms', 'POST', `${S}/api/query?arrays`, q(T0MS + 1000, T0MS + 1000, 'probe.bound'));
    await show('a4 seconds: start=T0+1 end=T0+5 (10 digits)', 'POST', `${S}/api/query?arrays`, q(T0 + 1, T0 + 5, 'probe.bound'));
    await show(
      'a5 ms bounds but msResolution=false',
      'POST',
      `${S}/api/query?arrays`,
      JSON.stringify({ start: T0MS + 1000, end: T0MS + 5000, queries: [{ aggregator: 'none', metric: 'probe.bound' }] }),
    );
    await show('a6 without ?arrays (object form)', 'POST', `${S}/api/query`, q(T0MS + 1000, T0MS + 2000, 'probe.bound'));
    await show('a7 unknown metric', 'POST', `${S}/api/query?arrays`, q(T0MS, T0MS + 5000, 'probe.no.such.metric'));
    await show('a8 known metric, no data in window', 'POST', `${S}/api/query?arrays`, q(T0MS + 100000, T0MS + 200000, 'probe.bound'));
    await show('a9 start/end as strings "…ms"', 'POST', `${S}/api/query?arrays`, q(String(T0MS + 1000), String(T0MS + 2000), 'probe.bound'));
    await show('a10 end before start', 'POST', `${S}/api/query?arrays`, q(T0MS + 5000, T0MS + 1000, 'probe.bound'));

    // ---------------------------------------------------------------- (b) value typing
    say('\n## (b) values: each put as a JSON string and as a number token, then read back');
    const values = [
      '9223372036854775807',
      '-9223372036854775808',
      '9007199254740993',
      '1.0',
      '1.5',
      '15.2',
      '0.1',
      '-0.0',
      '1e-300',
      '3.4028234663852886E38',
      '42',
      '0',
      '-1',
      '1E3',
      '2.5e-3',
      '16777217.0',
      '1.7976931348623157E308',
      '4.9E-324',
      'NaN',
      '1.5x',
    ];
    for (const [i, v] of values.entries()) {
      const c = `c${String(i).padStart(2, '0')}`;
      await put(S, dp('probe.values', T0, JSON.stringify(v), { enc: 'str', case: c }), `b put "${v}" as string (case=${c})`);
      if (v !== 'NaN' && v !== '1.5x') {
        await put(S, dp('probe.values', T0, v, { enc: 'num', case: c }), `b put ${v} as number token (case=${c})`);
      }
    }
    await show('b query all probe.values', 'POST', `${S}/api/query?arrays`, q(T0MS - 1000, T0MS + 1000, 'probe.values'), {}, { full: true });
    dumpSeries(h, 'probe.values', false);
    say('b3: one series mixing integer and float points (HTTP put), aggregator none');
    await put(
      S,
      `[${[
        dp('probe.mixtype', T0MS, '1', { host: 'a' }),
        dp('probe.mixtype', T0MS + 1000, '"2.5"', { host: 'a' }),
        dp('probe.mixtype', T0MS + 2000, '3', { host: 'a' }),
        dp('probe.mixtype', T0MS + 3000, '9007199254740993', { host: 'a' }),
        dp('probe.mixtype', T0MS + 4000, '"5.0"', { host: 'a' }),
        dp('probe.mixtype', T0MS + 5000, '6', { host: 'a' }),
      ].join(',')}]`,
      'b3 seed: 1, "2.5", 3, 9007199254740993, "5.0", 6 at T0+0..5 s (ms timestamps)',
    );
    await show('b3 query whole series', 'POST', `${S}/api/query?arrays`, q(T0MS, T0MS + 10000, 'probe.mixtype'));
    await show('b3 query window with only integers (T0+2000..T0+3000)', 'POST', `${S}/api/query?arrays`, q(T0MS + 2000, T0MS + 3000, 'probe.mixtype'));
    await show('b3 query window T0+5000..T0+6000 (only the integer 6)', 'POST', `${S}/api/query?arrays`, q(T0MS + 5000, T0MS + 6000, 'probe.mixtype'));
    await put(
      S,
      `[${[
        dp('probe.mixtype2', T0MS, '1', { host: 'a' }),
        dp('probe.mixtype2', T0MS + 1000, '2', { host: 'a' }),
        dp('probe.mixtype2', T0MS + 3600 * 1000, '"2.5"', { host: 'a' }),
      ].join(',')}]`,
      'b3 seed probe.mixtype2: ints in hour 1 (1, 2), a float one hour later',
    );
    await show('b3 query probe.mixtype2 both hours', 'POST', `${S}/api/query?arrays`, q(T0MS, T0MS + 7200 * 1000, 'probe.mixtype2'));
    await show('b3 query probe.mixtype2 first hour only', 'POST', `${S}/api/query?arrays`, q(T0MS, T0MS + 1800 * 1000, 'probe.mixtype2'));
    await put(
      S,
      `[${[dp('probe.mixtype3', T0MS, '1', { host: 'a' }), dp('probe.mixtype3', T0MS, '"2.5"', { host: 'b' })].join(',')}]`,
      'b3 seed probe.mixtype3: host=a integer 1, host=b float 2.5 (two series)',
    );
    await show('b3 query probe.mixtype3', 'POST', `${S}/api/query?arrays`, q(T0MS - 1000, T0MS + 1000, 'probe.mixtype3'));
    say('b2: the same kind of values through the telnet-style `put` line protocol (same port)');
    const telnetValues = ['1.5', '15.2', '0.1', '16777216.0', '3', '1e-300'];
    const telnetOut = await telnet(
      h.ports.source,
      telnetValues.map((v, i) => `put probe.telnet ${T0 + i} ${v} host=a`),
    );
    say(`> ${telnetValues.map((v, i) => `put probe.telnet ${T0 + i} ${v} host=a`).join(' | ')}`);
    say(`< (telnet answer) ${JSON.stringify(telnetOut)}`);
    await new Promise((r) => setTimeout(r, 2500)); // telnet puts are not synced: wait for the 1 s flush
    await show('b2 query probe.telnet', 'POST', `${S}/api/query?arrays`, q(T0MS - 1000, T0MS + 10000, 'probe.telnet'));
    dumpSeries(h, 'probe.telnet', false);

    // ---------------------------------------------------------------- (c) ms and s mixed
    say('\n## (c) second (10-digit) and ms (13-digit) timestamps mixed in one series');
    await put(
      S,
      `[${[
        dp('probe.mixed', T0, '1', { host: 'a' }),
        dp('probe.mixed', T0MS + 250, '2', { host: 'a' }),
        dp('probe.mixed', T0 + 1, '3', { host: 'a' }),
        dp('probe.mixed', T0MS + 1500, '4', { host: 'a' }),
        dp('probe.mixed', T0MS + 2000, '5', { host: 'a' }),
        dp('probe.mixed', T0 + 3, '6', { host: 'a' }),
      ].join(',')}]`,
      'c seed: T0 s=1, T0+250ms=2, T0+1 s=3, T0+1500ms=4, T0+2000ms (13 digits, ends in 000)=5, T0+3 s=6',
    );
    await show('c1 query ms', 'POST', `${S}/api/query?arrays`, q(T0MS - 1000, T0MS + 10000, 'probe.mixed'));
    await show(
      'c2 query without msResolution',
      'POST',
      `${S}/api/query?arrays`,
      JSON.stringify({ start: T0 - 1, end: T0 + 10, queries: [{ aggregator: 'none', metric: 'probe.mixed' }] }),
    );
    dumpSeries(h, 'probe.mixed', false);
    dumpSeries(h, 'probe.mixed', true);
    say('c3: same instant written once as seconds and once as 13-digit ms, same value');
    await put(S, dp('probe.dup', T0 + 5, '7', { host: 'a' }), 'c3 put T0+5 (seconds) = 7');
    await put(S, dp('probe.dup', T0MS + 5000, '7', { host: 'a' }), 'c3 put T0+5000 ms (13 digits) = 7');
    await show('c3 query', 'POST', `${S}/api/query?arrays`, q(T0MS, T0MS + 10000, 'probe.dup'));
    dumpSeries(h, 'probe.dup', false);
    say('c4: same timestamp twice, different value (1 then 2), fix_duplicates=false');
    await put(S, dp('probe.dup2', T0MS + 7000, '1', { host: 'a' }), 'c4 put T0+7000ms = 1');
    await put(S, dp('probe.dup2', T0MS + 7000, '2', { host: 'a' }), 'c4 put T0+7000ms = 2');
    await show('c4 query', 'POST', `${S}/api/query?arrays`, q(T0MS, T0MS + 10000, 'probe.dup2'));
    say('c5: same timestamp twice, same value, integer then float ("1" then "1.0")');
    await put(S, dp('probe.dup3', T0MS + 7000, '1', { host: 'a' }), 'c5 put T0+7000ms = 1');
    await put(S, dp('probe.dup3', T0MS + 7000, '"1.0"', { host: 'a' }), 'c5 put T0+7000ms = "1.0"');
    await show('c5 query', 'POST', `${S}/api/query?arrays`, q(T0MS, T0MS + 10000, 'probe.dup3'));
    say('c6: same point written twice, identical (integer 1, twice)');
    await put(S, dp('probe.dup4', T0MS + 7000, '1', { host: 'a' }), 'c6 put T0+7000ms = 1');
    await put(S, dp('probe.dup4', T0MS + 7000, '1', { host: 'a' }), 'c6 put again T0+7000ms = 1');
    await show('c6 query', 'POST', `${S}/api/query?arrays`, q(T0MS, T0MS + 10000, 'probe.dup4'));

    // ---------------------------------------------------------------- (d) put responses
    say('\n## (d) /api/put responses');
    const good = (i: number): string => dp('probe.put', T0 + i, String(i), { host: 'a' });
    await show('d1 ?details&sync, all good', 'POST', `${S}/api/put?details&sync`, `[${good(1)},${good(2)}]`);
    await show(
      'd2 ?details&sync, one bad value',
      'POST',
      `${S}/api/put?details&sync`,
      `[${good(3)},${dp('probe.put', T0 + 4, '"abc"', { host: 'a' })},${good(5)}]`,
    );
    await show(
      'd3 ?details&sync, one point without tags',
      'POST',
      `${S}/api/put?details&sync`,
      `[${good(6)},{"metric":"probe.put","timestamp":${T0 + 7},"value":7,"tags":{}}]`,
    );
    await show('d4 no flags, all good', 'POST', `${S}/api/put`, `[${good(8)}]`);
    await show('d5 no flags, one bad', 'POST', `${S}/api/put`, `[${good(9)},${dp('probe.put', T0 + 10, '"abc"', { host: 'a' })}]`);
    await show('d6 ?summary, one bad', 'POST', `${S}/api/put?summary`, `[${good(11)},${dp('probe.put', T0 + 12, '"abc"', { host: 'a' })}]`);
    await show('d7 ?details&sync on target, unknown metric', 'POST', `${T}/api/put?details&sync`, dp('probe.unknown', T0, '1', { host: 'a' }));
    await show('d8 no flags on target, unknown metric', 'POST', `${T}/api/put`, dp('probe.unknown', T0, '1', { host: 'a' }));
    await show('d9 invalid JSON', 'POST', `${S}/api/put?details`, '[{"metric":');
    await show('d10 ?details&sync&sync_timeout=5000, good', 'POST', `${S}/api/put?details&sync&sync_timeout=5000`, `[${good(13)}]`);
    await show(
      'd11 timestamp 0 and negative value timestamp',
      'POST',
      `${S}/api/put?details&sync`,
      `[${dp('probe.put', 0, '1', { host: 'a' })},${dp('probe.put', -5, '1', { host: 'a' })}]`,
    );
    await show(
      'd12 timestamp with 14 digits and with a fraction',
      'POST',
      `${S}/api/put?details&sync`,
      `[${dp('probe.put', 17000000000000, '1', { host: 'a' })},{"metric":"probe.put","timestamp":1700000000.5,"value":1,"tags":{"host":"a"}}]`,
    );

    await show('d13 what d12 stored (probe.put around T0)', 'POST', `${S}/api/query?arrays`, q(T0MS - 1000, T0MS + 999, 'probe.put'));

    // ---------------------------------------------------------------- (e) body size on target
    say('\n## (e) request body size on the target (defaults: enable_chunked=false)');
    await show('e0 assign probe.size on target', 'POST', `${T}/api/uid/assign`, JSON.stringify({ metric: ['probe.size'], tagk: ['host'], tagv: ['a'] }));
    const sized = (bytes: number, tsBase: number): string => {
      const pts: string[] = [];
      let body = '[]';
      for (let i = 0; ; i++) {
        const next = `[${[...pts, dp('probe.size', tsBase + i, String(i), { host: 'a' })].join(',')}]`;
        if (next.length > bytes) break;
        pts.push(dp('probe.size', tsBase + i, String(i), { host: 'a' }));
        body = next;
      }
      return body.slice(0, -1) + ' '.repeat(bytes - body.length) + ']';
    };
    for (const n of [8000, 8192, 8193, 20000]) {
      await show(`e Content-Length ${n}`, 'POST', `${T}/api/put?details&sync`, sized(n, T0 + n * 10), {}, { quietBody: true });
    }
    await show('e chunked transfer-encoding, 500 bytes', 'POST', `${T}/api/put?details&sync`, sized(500, T0 + 100), {}, { chunked: true, quietBody: true });
    const big = sized(20000, T0 + 300000);
    const gz = gzipSync(Buffer.from(big));
    say(`(gzip: ${big.length} bytes uncompressed -> ${gz.length} compressed)`);
    await show('e gzip, compressed < 8192, uncompressed 20000', 'POST', `${T}/api/put?details&sync`, gz, { 'Content-Encoding': 'gzip' });
    const small = sized(4000, T0 + 400000);
    await show('e gzip, small (4000 uncompressed)', 'POST', `${T}/api/put?details&sync`, gzipSync(Buffer.from(small)), { 'Content-Encoding': 'gzip' });
    await show(
      'e check: how many probe.size points the target has',
      'POST',
      `${T}/api/query?arrays`,
      JSON.stringify({ start: T0, end: T0 + 1000000, msResolution: true, queries: [{ aggregator: 'sum', metric: 'probe.size', downsample: '0all-count' }] }),
    );
    say('source (enable_chunked=true, max_chunk=1048576):');
    for (const n of [8193, 1048576, 1048577, 2097152]) {
      await show(`e source Content-Length ${n}`, 'POST', `${S}/api/put?summary`, sized(n, T0 + 500000 + n), {}, { quietBody: true });
    }

    // ---------------------------------------------------------------- (f) uid/assign
    say('\n## (f) /api/uid/assign on the target');
    await show('f1 all new', 'POST', `${T}/api/uid/assign`, JSON.stringify({ metric: ['probe.f.a', 'probe.f.b'], tagk: ['fk'], tagv: ['fv'] }));
    await show(
      'f2 mix of existing and new',
      'POST',
      `${T}/api/uid/assign`,
      JSON.stringify({ metric: ['probe.f.a', 'probe.f.c'], tagk: ['fk', 'fk2'], tagv: ['fv', 'fv2'] }),
    );
    await show('f3 all existing', 'POST', `${T}/api/uid/assign`, JSON.stringify({ metric: ['probe.f.a'] }));
    await show('f4 invalid name', 'POST', `${T}/api/uid/assign`, JSON.stringify({ metric: ['bad name!', 'probe.f.d'] }));

    // ---------------------------------------------------------------- (g) suggest, config, aggregators
    say('\n## (g) suggest, config, aggregators');
    await show('g1 suggest q= max=100000 (source)', 'GET', `${S}/api/suggest?type=metrics&q=&max=100000`);
    await show('g2 suggest q=probe.d max=100000', 'GET', `${S}/api/suggest?type=metrics&q=probe.d&max=100000`);
    await show('g3 suggest q= (no max: default 25)', 'GET', `${S}/api/suggest?type=metrics&q=`);
    await show('g4 suggest without q', 'GET', `${S}/api/suggest?type=metrics&max=5`);
    await show('g5 suggest tagk q=', 'GET', `${S}/api/suggest?type=tagk&q=&max=100000`);
    for (const [name, url] of [
      ['source', S],
      ['target', T],
    ] as const) {
      const cfg = await http('GET', `${url}/api/config`);
      const obj = JSON.parse(cfg.body) as Record<string, string>;
      const keys = Object.keys(obj)
        .filter((k) => /chunk|auto_create|max_tags|fix_dup|mode$|allow_specialchars|\.ms|millisecond|timeout|limits|enable_appends|salt/.test(k))
        .sort();
      say(`--- g config (${name}): GET /api/config -> ${cfg.status}, ${Object.keys(obj).length} keys; selected:`);
      say(JSON.stringify(Object.fromEntries(keys.map((k) => [k, obj[k]]))));
    }
    await show('g aggregators', 'GET', `${S}/api/aggregators`);

    // ---------------------------------------------------------------- (h) search/lookup
    say('\n## (h) /api/search/lookup with useMeta=false and limit');
    const lookupPts: string[] = [];
    for (let i = 0; i < 20; i++) {
      for (const hour of [0, 1, 2]) lookupPts.push(dp('probe.lookup', T0 + hour * 3600, String(i), { host: `h${String(i).padStart(2, '0')}` }));
    }
    await put(S, `[${lookupPts.join(',')}]`, 'h seed: 20 series x 3 hour rows');
    await show('h1 limit 5', 'POST', `${S}/api/search/lookup`, JSON.stringify({ metric: 'probe.lookup', useMeta: false, limit: 5 }));
    await show('h2 limit 1000', 'POST', `${S}/api/search/lookup`, JSON.stringify({ metric: 'probe.lookup', useMeta: false, limit: 1000 }));
    await show('h3 no limit (default 25)', 'POST', `${S}/api/search/lookup`, JSON.stringify({ metric: 'probe.lookup', useMeta: false }));
    await show('h4 useMeta default (meta table, empty)', 'POST', `${S}/api/search/lookup`, JSON.stringify({ metric: 'probe.lookup', limit: 5 }));

    // ---------------------------------------------------------------- (i) count queries
    say('\n## (i) counting points/series: 3 series (host a: 5 points, b: 3, c: 2), some timestamps shared');
    const cnt: string[] = [];
    [0, 1, 2, 3, 4].forEach((s) => cnt.push(dp('probe.count', T0MS + s * 1000, '1', { host: 'a' })));
    [0, 1, 7].forEach((s) => cnt.push(dp('probe.count', T0MS + s * 1000, '1', { host: 'b' })));
    [0, 9].forEach((s) => cnt.push(dp('probe.count', T0MS + s * 1000 + 1, '1', { host: 'c' })));
    await put(S, `[${cnt.join(',')}]`, 'i seed');
    const cq = (sub: object): string => JSON.stringify({ start: T0MS, end: T0MS + 60000, msResolution: true, queries: [{ metric: 'probe.count', ...sub }] });
    await show('i1 sum + 0all-count', 'POST', `${S}/api/query?arrays`, cq({ aggregator: 'sum', downsample: '0all-count' }));
    await show('i2 count + 0all-count', 'POST', `${S}/api/query?arrays`, cq({ aggregator: 'count', downsample: '0all-count' }));
    await show('i3 none + 0all-count', 'POST', `${S}/api/query?arrays`, cq({ aggregator: 'none', downsample: '0all-count' }));
    await show('i3b none + 1s-sum', 'POST', `${S}/api/query?arrays`, cq({ aggregator: 'none', downsample: '1s-sum' }));
    await show('i4 count, no downsample', 'POST', `${S}/api/query?arrays`, cq({ aggregator: 'count' }));
    await show('i5 zimsum + 0all-count', 'POST', `${S}/api/query?arrays`, cq({ aggregator: 'zimsum', downsample: '0all-count' }));
    await show(
      'i6 sum + 0all-count, window with no points of host c',
      'POST',
      `${S}/api/query?arrays`,
      JSON.stringify({ start: T0MS, end: T0MS + 4000, msResolution: true, queries: [{ metric: 'probe.count', aggregator: 'sum', downsample: '0all-count' }] }),
    );
    await show(
      'i7 sum + 0all-count + groupBy host (filter *)',
      'POST',
      `${S}/api/query?arrays`,
      cq({ aggregator: 'sum', downsample: '0all-count', filters: [{ type: 'wildcard', tagk: 'host', filter: '*', groupBy: true }] }),
    );

    // ---------------------------------------------------------------- (j) tag filters
    say('\n## (j) regexp filter, aggregator none: series without the tag key');
    await put(
      S,
      `[${[
        dp('probe.filter', T0, '1', { host: 'alpha' }),
        dp('probe.filter', T0, '2', { host: 'zulu' }),
        dp('probe.filter', T0, '3', { dc: 'x' }),
        dp('probe.filter', T0, '4', { host: 'mike', dc: 'y' }),
      ].join(',')}]`,
      'j seed: {host=alpha}, {host=zulu}, {dc=x}, {host=mike,dc=y}',
    );
    const fq = (filters: object[]): string => q(T0MS - 1000, T0MS + 1000, 'probe.filter', { filters });
    await show('j1 regexp ^[a-m].* groupBy true', 'POST', `${S}/api/query?arrays`, fq([{ type: 'regexp', tagk: 'host', filter: '^[a-m].*', groupBy: true }]));
    await show('j2 regexp ^[a-m].* groupBy false', 'POST', `${S}/api/query?arrays`, fq([{ type: 'regexp', tagk: 'host', filter: '^[a-m].*', groupBy: false }]));
    await show('j3 wildcard host=*', 'POST', `${S}/api/query?arrays`, fq([{ type: 'wildcard', tagk: 'host', filter: '*', groupBy: false }]));
    await show('j4 not_literal_or host=zulu', 'POST', `${S}/api/query?arrays`, fq([{ type: 'not_literal_or', tagk: 'host', filter: 'zulu', groupBy: false }]));
    await show('j5 no filter', 'POST', `${S}/api/query?arrays`, fq([]));
    await show(
      'j6 explicitTags with host=*',
      'POST',
      `${S}/api/query?arrays`,
      q(T0MS - 1000, T0MS + 1000, 'probe.filter', { explicitTags: true, filters: [{ type: 'wildcard', tagk: 'host', filter: '*', groupBy: false }] }),
    );

    // ---------------------------------------------------------------- (k) names
    say('\n## (k) unicode tag values, metric names starting with a digit / capital / non-ASCII');
    const names = ['9metric.start', 'Metric.Cap', 'métrique.é', '東京.cpu', '_under', '~tilde', 'a/b-c_d.e'];
    await show(
      'k1 assign names on target',
      'POST',
      `${T}/api/uid/assign`,
      JSON.stringify({ metric: names, tagk: ['city', 'Ort'], tagv: ['zürich', '東京', 'Zürich'] }),
    );
    const kpts = names.map((m, i) => dp(m, T0 + i, String(i), { city: i % 2 ? 'zürich' : '東京' }));
    await show('k2 put to target (names assigned)', 'POST', `${T}/api/put?details&sync`, `[${kpts.join(',')}]`);
    await show('k3 put to target, tag value with a space', 'POST', `${T}/api/put?details&sync`, dp('Metric.Cap', T0 + 100, '1', { city: 'São Paulo' }));
    await show(
      'k3b put to target, new Latin-1 tag value (tagv auto-created)',
      'POST',
      `${T}/api/put?details&sync`,
      dp('Metric.Cap', T0 + 101, '1', { city: 'São_Paulo' }),
    );
    await show('k4 put to source (auto-create)', 'POST', `${S}/api/put?details&sync`, `[${kpts.join(',')}]`);
    await show('k5 query 東京.cpu on target', 'POST', `${T}/api/query?arrays`, q(T0MS - 1000, T0MS + 10000, '東京.cpu'));
    await show(
      'k6 query Metric.Cap on target, literal_or city=zürich|São_Paulo',
      'POST',
      `${T}/api/query?arrays`,
      q(T0MS - 1000, T0MS + 200000, 'Metric.Cap', { filters: [{ type: 'literal_or', tagk: 'city', filter: 'zürich|São_Paulo', groupBy: true }] }),
    );
    await show('k6b query 9metric.start on target (its tag value was 東京)', 'POST', `${T}/api/query?arrays`, q(T0MS - 1000, T0MS + 10000, '9metric.start'));
    await show('k6c query 東京.cpu with showTSUIDs', 'POST', `${T}/api/query?arrays`, q(T0MS - 1000, T0MS + 10000, '東京.cpu', {}, { showTSUIDs: true }));
    await show(
      'k6d assign 北京.cpu / tagv 北京 on target (UID names are ISO-8859-1: collision?)',
      'POST',
      `${T}/api/uid/assign`,
      JSON.stringify({ metric: ['北京.cpu'], tagv: ['北京'] }),
    );
    await show('k6e query 北京.cpu on target (never written)', 'POST', `${T}/api/query?arrays`, q(T0MS - 1000, T0MS + 10000, '北京.cpu'));
    await show('k6f GET /api/uid/uidmeta?uid=000009&type=metric on target', 'GET', `${T}/api/uid/uidmeta?uid=000009&type=metric`);
    await show('k7 suggest metrics q= on target', 'GET', `${T}/api/suggest?type=metrics&q=&max=100000`);
    await show('k7b suggest metrics q= on source', 'GET', `${S}/api/suggest?type=metrics&q=&max=100000`);
    await show('k8 suggest metrics q=m on target', 'GET', `${T}/api/suggest?type=metrics&q=m&max=100`);
    await show('k8b suggest metrics q=M on target', 'GET', `${T}/api/suggest?type=metrics&q=M&max=100`);
    await show('k8c suggest metrics q=9 on target', 'GET', `${T}/api/suggest?type=metrics&q=9&max=100`);
    await show('k8d suggest metrics q=_ on target', 'GET', `${T}/api/suggest?type=metrics&q=_&max=100`);
    await show('k8e suggest metrics q=a on target', 'GET', `${T}/api/suggest?type=metrics&q=a&max=100`);
    await show('k9 suggest metrics q=東 on target', 'GET', `${T}/api/suggest?type=metrics&q=${encodeURIComponent('東')}&max=100`);
    await show('k10 suggest tagv q= on target', 'GET', `${T}/api/suggest?type=tagv&q=&max=100000`);
    await show('k10b suggest tagv q=z on target', 'GET', `${T}/api/suggest?type=tagv&q=z&max=100`);
    await show('k10c suggest tagv q=Z on target', 'GET', `${T}/api/suggest?type=tagv&q=Z&max=100`);
    say('k20: a FRESH target TSD process (empty UID cache) on the same tables');
    const fresh = await startFreshTarget(h);
    try {
      const F = fresh.url;
      await show('k20a fresh: query 9metric.start (tag value written as 東京)', 'POST', `${F}/api/query?arrays`, q(T0MS - 1000, T0MS + 10000, '9metric.start'));
      await show('k20b fresh: query 東京.cpu', 'POST', `${F}/api/query?arrays`, q(T0MS - 1000, T0MS + 10000, '東京.cpu'));
      await show('k20c fresh: query ??.cpu', 'POST', `${F}/api/query?arrays`, q(T0MS - 1000, T0MS + 10000, '??.cpu'));
      await show('k20d fresh: suggest metrics q=', 'GET', `${F}/api/suggest?type=metrics&q=&max=100000`);
      await show('k20e fresh: suggest tagv q=', 'GET', `${F}/api/suggest?type=tagv&q=&max=100000`);
      await show('k20f fresh: query Metric.Cap', 'POST', `${F}/api/query?arrays`, q(T0MS - 1000, T0MS + 200000, 'Metric.Cap'));
    } finally {
      await fresh.stop();
    }
    await show('k11 metric with a space', 'POST', `${S}/api/put?details&sync`, dp('bad metric', T0, '1', { host: 'a' }));
    await show(
      'k12 9 tags (max_tags 8)',
      'POST',
      `${S}/api/put?details&sync`,
      dp('probe.tags', T0, '1', Object.fromEntries([...Array(9).keys()].map((i) => [`k${i}`, 'v']))),
    );
  } finally {
    await h.stop();
  }
  if (outFile) writeFileSync(outFile, out.join('\n') + '\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
