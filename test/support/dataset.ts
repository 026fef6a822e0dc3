/**
 * The shared, deterministic seed dataset for tests, e2e runs and benchmarks.
 *
 * Every point carries the exact JSON token text to send as its value ("42", "1.0", "15.2",
 * "9223372036854775807"), sent as a JSON string so that no client re-formats it. The data covers
 * what a faithful OpenTSDB backup must survive:
 * - 64-bit counters beyond 2^53, up to exactly 2^63-1, and negative ones down to exactly -2^63;
 * - integral floats ("1.0", "100.0", "1E3"), float-exact values ("0.25", "15.199999809265137"),
 *   full-precision doubles ("0.1", "3.141592653589793", "15.2"), "-0.0", "1e-300", gauges with
 *   one or two decimals;
 * - millisecond timestamps that are not multiples of 1000 mixed with second-aligned ones (some
 *   of which are sent as 10-digit seconds, see SeedPoint.tsUnit);
 * - Unicode tag values ("zürich" is ISO-8859-1, "東京" is not: OpenTSDB stores it as "??", see
 *   fake-tsd/uid.ts -- only ONE non-Latin-1 value per length is used, or two would share a UID);
 * - a series with exactly 8 tags (the default tsd.storage.max_tags);
 * - metric names starting with a digit and with capitals ("1min.load", "Sys.CPU");
 * - a series switching between integer and floating point values (on a real 2.4.1 an integer
 *   directly followed by a floating point point reads back as a double: see expectedQueryValues);
 * - one metric with thousands of series (3000 hosts in 'medium', 300 in 'small').
 * No (series, timestamp) pair repeats. Generation uses its own PRNG (no Math.random).
 */
import { javaDoubleToString } from './fake-tsd/java-double.js';

export interface SeedPoint {
  metric: string;
  tags: Record<string, string>;
  /** milliseconds since the epoch */
  timestamp: number;
  /** the exact JSON number token text to send, e.g. "42", "1.0", "15.2", "9223372036854775807" */
  value: string;
  /** how to send the timestamp: 's' = 10-digit seconds (only for multiples of 1000), default ms (13 digits) */
  tsUnit?: 's' | 'ms';
}

export type DatasetScale = 'small' | 'medium';

export interface DatasetOptions {
  /** first timestamp, ms */
  start: number;
  hours: number;
  seed?: number;
  scale?: DatasetScale;
}

export type StoredKind = 'int' | 'float' | 'double';

const METRICS = {
  cpu: 'sys.cpu.user',
  counter: 'net.bytes.in',
  negative: 'temp.delta',
  load: '1min.load',
  msCapital: 'Sys.CPU',
  geo: 'geo.latency',
  eightTags: 'app.requests',
  mixed: 'mixed.type',
  many: 'hosts.up',
} as const;

const SCALES: Record<
  DatasetScale,
  {
    cpuHosts: number;
    cpus: number;
    counters: number;
    negatives: number;
    loads: number;
    msSeries: number;
    eight: number;
    mixed: number;
    manyHosts: number;
    manyPerHour: number;
  }
> = {
  small: { cpuHosts: 4, cpus: 2, counters: 4, negatives: 2, loads: 3, msSeries: 2, eight: 2, mixed: 1, manyHosts: 300, manyPerHour: 2 },
  medium: { cpuHosts: 20, cpus: 4, counters: 20, negatives: 5, loads: 10, msSeries: 5, eight: 10, mixed: 2, manyHosts: 3000, manyPerHour: 1 },
};

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/** One or two decimals, never an integral text ("12.3", "0.05", "99.95"). */
function gauge(r: () => number, max: number): string {
  const cents = int(r, 1, max * 100 - 1);
  const s = (cents / 100).toFixed(cents % 10 === 0 ? 1 : 2);
  return s;
}

const LOAD_TOKENS = [
  '0.1',
  '3.141592653589793',
  '1.0',
  '-0.0',
  '1e-300',
  '15.2',
  '15.199999809265137',
  '0.25',
  '2.5E-3',
  '1E3',
  '100.0',
  '0.3',
  '1.7976931348623157E308',
  '4.9E-324',
  '-2.5',
  '1.5',
];

export const LONG_MAX = '9223372036854775807';
export const LONG_MIN = '-9223372036854775808';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The metric names the dataset uses (independent of scale, hours and seed). */
export function datasetMetrics(_opts?: Partial<DatasetOptions>): string[] {
  return Object.values(METRICS);
}

/**
 * The points, generated lazily, series after series (each series in time order). Deterministic
 * for the same options.
 */
export function* generateDataset(opts: DatasetOptions): Generator<SeedPoint> {
  for (const p of rawDataset(opts)) {
    // 10-digit seconds only where the timestamp is a whole second
    if (p.tsUnit === 's' && p.timestamp % 1000 !== 0) delete p.tsUnit;
    yield p;
  }
}

function* rawDataset(opts: DatasetOptions): Generator<SeedPoint> {
  const seed = opts.seed ?? 1;
  const sc = SCALES[opts.scale ?? 'small'];
  const start = opts.start;
  const end = start + opts.hours * 3600_000; // exclusive
  const r = prng(seed);

  // 1. gauges with one or two decimals, every minute, second-aligned (half the hosts sent as seconds)
  for (let h = 0; h < sc.cpuHosts; h++) {
    for (let c = 0; c < sc.cpus; c++) {
      const tags = { host: `web${pad(h)}`, cpu: String(c), dc: h % 2 ? 'ams' : 'fra' };
      for (let t = start; t < end; t += 60_000) {
        yield { metric: METRICS.cpu, tags, timestamp: t, value: gauge(r, 100), ...(h % 2 ? { tsUnit: 's' as const } : {}) };
      }
    }
  }

  // 2. 64-bit counters beyond 2^53; the first series ends exactly at 2^63-1
  const steps = Math.floor((end - start) / 60_000);
  for (let i = 0; i < sc.counters; i++) {
    const tags = { host: `web${pad(i)}`, iface: i % 3 === 0 ? 'eth0' : 'bond0' };
    const inc = (): bigint => BigInt(int(r, 1, 1_000_000)) * 1_000_003n;
    let v: bigint;
    if (i === 0) {
      // count backwards from the maximum so the last point is 2^63-1
      const incs = Array.from({ length: steps }, inc);
      v = BigInt(LONG_MAX) - incs.reduce((a, b) => a + b, 0n);
      for (let k = 0; k < steps; k++) {
        v += k === 0 ? 0n : incs[k]!;
        yield { metric: METRICS.counter, tags, timestamp: start + k * 60_000, value: k === steps - 1 ? LONG_MAX : v.toString() };
      }
      continue;
    }
    v = (1n << 62n) + BigInt(int(r, 0, 1_000_000_000)) * 1_000_000_007n;
    for (let k = 0; k < steps; k++) {
      yield { metric: METRICS.counter, tags, timestamp: start + k * 60_000, value: v.toString() };
      v += inc();
    }
  }

  // 3. negative integers, small and big; the first series hits exactly -2^63
  for (let i = 0; i < sc.negatives; i++) {
    const tags = { sensor: `s${pad(i)}` };
    let k = 0;
    for (let t = start; t < end; t += 300_000, k++) {
      let value: string;
      if (i === 0 && k === 1) value = LONG_MIN;
      else if (k % 3 === 0) value = String(-int(r, 1, 1000));
      else value = (-(1n << 62n) - BigInt(int(r, 0, 1_000_000_000)) * 1_000_003n).toString();
      yield { metric: METRICS.negative, tags, timestamp: t, value };
    }
  }

  // 4. "1min.load": every hard floating point token, cycling, every 30 s
  for (let i = 0; i < sc.loads; i++) {
    const tags = { host: `db${pad(i)}` };
    let k = i;
    for (let t = start; t < end; t += 30_000, k++) {
      const value = k % 5 === 4 ? gauge(r, 20) : LOAD_TOKENS[k % LOAD_TOKENS.length]!;
      yield { metric: METRICS.load, tags, timestamp: t, value };
    }
  }

  // 5. "Sys.CPU": millisecond timestamps (not multiples of 1000) mixed with second-aligned ones
  for (let i = 0; i < sc.msSeries; i++) {
    const tags = { host: `app${pad(i)}`, core: 'all' };
    let t = start + i * 37;
    let k = 0;
    while (t < end) {
      const aligned = k % 5 === 0;
      const ts = aligned ? Math.ceil(t / 1000) * 1000 : t;
      if (ts >= end) break;
      yield {
        metric: METRICS.msCapital,
        tags,
        timestamp: ts,
        value: k % 2 ? gauge(r, 100) : String(int(r, 0, 100)),
        ...(aligned && k % 10 === 0 ? { tsUnit: 's' as const } : {}),
      };
      t = ts + int(r, 1001, 13_000);
      k++;
    }
  }

  // 6. Unicode tag values
  for (const city of ['zürich', '東京', 'São_Paulo']) {
    const tags = { city, unit: 'ms' };
    for (let t = start; t < end; t += 300_000) yield { metric: METRICS.geo, tags, timestamp: t, value: gauge(r, 500) };
  }

  // 7. exactly 8 tags
  for (let i = 0; i < sc.eight; i++) {
    const tags = {
      host: `api${pad(i)}`,
      dc: 'fra',
      env: 'prod',
      region: 'eu-central',
      service: 'checkout',
      version: `v1.${i}`,
      zone: `z${i % 3}`,
      rack: `r${pad(i % 7)}`,
    };
    for (let t = start; t < end; t += 60_000) yield { metric: METRICS.eightTags, tags, timestamp: t, value: String(int(r, 0, 5000)) };
  }

  // 8. a series switching between integers and floating point values in runs
  for (let i = 0; i < sc.mixed; i++) {
    const tags = { host: `mix${pad(i)}` };
    let k = 0;
    for (let t = start; t < end; t += 30_000, k++) {
      const floatRun = Math.floor(k / 4) % 2 === 1;
      const value = floatRun ? (k % 4 === 0 ? `${int(r, 0, 50)}.0` : gauge(r, 50)) : String(int(r, -50, 50));
      yield { metric: METRICS.mixed, tags, timestamp: t, value };
    }
  }

  // 9. one metric with thousands of series, few points each
  const perHour = sc.manyPerHour;
  for (let h = 0; h < sc.manyHosts; h++) {
    const tags = { host: `node${pad(h, 4)}`, pool: `p${h % 10}` };
    const offset = (h * 7919) % Math.floor(3600_000 / perHour / 1000);
    for (let t = start + offset * 1000; t < end; t += 3600_000 / perHour) {
      yield { metric: METRICS.many, tags, timestamp: t, value: r() < 0.97 ? '1' : '0' };
    }
  }
}

/**
 * The kind a value token is stored as by OpenTSDB 2.4.1 (PutDataPointRpc): a token without '.',
 * 'e' or 'E' is a 64-bit integer; any other is an 8-byte double over HTTP (the float branch of
 * /api/put is widened to double by a Java conditional expression), while the telnet `put` stores
 * values that survive the float round trip as 4-byte floats.
 */
export function expectedStoredKind(token: string, protocol: 'http' | 'telnet' = 'http'): StoredKind {
  if (!/[.eE]/.test(token)) return 'int';
  if (protocol === 'telnet') {
    const d = Number(token.replace(/[fFdD]$/, ''));
    if (Math.fround(d) === d) return 'float';
  }
  return 'double';
}

/** The JSON number text a real TSD prints for a stored token (long, or Java Double.toString). */
export function expectedValueText(token: string): string {
  return expectedStoredKind(token) === 'int' ? BigInt(token).toString() : javaDoubleToString(Number(token));
}

/**
 * The value texts /api/query (aggregator none) answers for one series' points (sorted by time),
 * when every point's successor is within the scanned rows: an integer directly followed by a
 * floating point value is printed as a double ("3" -> "3.0"), as a real 2.4.1 does
 * (AggregationIterator.isInteger checks the current and the next buffered value).
 */
export function expectedQueryValues(tokensInTimeOrder: readonly string[]): string[] {
  return tokensInTimeOrder.map((tok, i) => {
    const next = tokensInTimeOrder[i + 1];
    if (expectedStoredKind(tok) === 'int' && next !== undefined && expectedStoredKind(next) !== 'int') {
      return javaDoubleToString(Number(BigInt(tok)));
    }
    return expectedValueText(tok);
  });
}

/** A stable key for a series: metric plus sorted tags. */
export function seriesKey(metric: string, tags: Record<string, string>): string {
  return (
    metric +
    '{' +
    Object.keys(tags)
      .sort()
      .map((k) => `${k}=${tags[k]}`)
      .join(',') +
    '}'
  );
}

/**
 * The points of one moment of live traffic (the sandbox writes them every 10 s): the dataset's CPU gauge
 * (floats, one or two decimals), its 64-bit counter (integers beyond 2^53) and its load tokens, for two
 * hosts. Deterministic for the same `at` (ms) and seed; never a timestamp the seeded hours hold, as long
 * as `at` is later than them.
 */
export function liveDatasetPoints(at: number, seed = 1): SeedPoint[] {
  const r = prng((seed * 2_654_435_761 + Math.floor(at / 1000)) >>> 0);
  const points: SeedPoint[] = [];
  for (let h = 0; h < 2; h++) {
    const host = `web${pad(h)}`;
    points.push({ metric: METRICS.cpu, tags: { host, cpu: '0', dc: h % 2 ? 'ams' : 'fra' }, timestamp: at, value: gauge(r, 100) });
    // grows with time, so a counter stays a counter across ticks
    const counter = (1n << 62n) + BigInt(Math.floor(at / 1000)) * 1_000_003n + BigInt(h);
    points.push({ metric: METRICS.counter, tags: { host, iface: 'eth0' }, timestamp: at, value: counter.toString() });
    points.push({ metric: METRICS.load, tags: { host }, timestamp: at, value: LOAD_TOKENS[int(r, 0, LOAD_TOKENS.length - 1)]! });
  }
  return points;
}
