// The benchmark's synthetic data, a mix of what OpenTSDB clusters typically hold (by series):
//   50%  gauges, random walks with one (35%) or two (15%) decimals
//   30%  integer counters, half of them 64-bit counters beyond 2^53
//   10%  full-precision doubles (computed values: ratios, latencies in seconds)
//   10%  values of 4-byte float precision (written by telnet collectors)
// Points come every 10 s, 5% of them a second late; a tenth of the series use millisecond timestamps
// with +-100 ms jitter. `npm run bench:breakdown` prints the bytes per point of each kind.

import { prng } from '../test/support/dataset.js';

export interface BenchPoint {
  metric: string;
  tags: Record<string, string>;
  timestamp: number;
  value: string;
}

export interface BenchShape {
  series: number;
  pointsPerSeries: number;
  intervalMs: number;
  start: number;
}

export function shapeFor(totalPoints: number, start: number): BenchShape {
  const series = Math.max(10, Math.round(Math.sqrt(totalPoints / 10)));
  return { series, pointsPerSeries: Math.ceil(totalPoints / series), intervalMs: 10_000, start };
}

function floatToken(x: number): string {
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** The metrics of the mix, by kind of value (the order of the kinds below). */
export const BENCH_METRICS = ['sys.cpu.user', 'sys.mem.used_pct', 'net.bytes.in', 'disk.ops.total', 'app.latency.p99', 'sensor.temperature'] as const;

/** Points in time order per series, series after series. */
export function* benchPoints(shape: BenchShape, seed = 42): Generator<BenchPoint> {
  for (let s = 0; s < shape.series; s++) {
    const r = prng(seed + s);
    const slot = s % 20;
    // 0: gauge 1 decimal  1: gauge 2 decimals  2: counter  3: 64-bit counter  4: double  5: float32
    const kind = slot < 7 ? 0 : slot < 10 ? 1 : slot < 13 ? 2 : slot < 16 ? 3 : slot < 18 ? 4 : 5;
    const metric = BENCH_METRICS[kind]!;
    const tags = { host: `web-${String(s).padStart(5, '0')}`, dc: ['ams', 'fra', 'zürich'][s % 3]! };
    const ms = s % 10 === 9;
    let gauge = 20 + r() * 60;
    let counter = kind === 3 ? 2 ** 60 + Math.floor(r() * 1e6) : Math.floor(r() * 1e9);
    let counterBig = BigInt(counter);
    const rate = 100 + Math.floor(r() * 5000);
    for (let i = 0; i < shape.pointsPerSeries; i++) {
      const jitter = ms ? Math.floor(r() * 200) - 100 : r() < 0.05 ? 1000 : 0;
      const timestamp = shape.start + i * shape.intervalMs + jitter;
      let value: string;
      if (kind <= 1) {
        gauge = Math.min(100, Math.max(0, gauge + (r() - 0.5) * 2));
        value = kind === 0 ? gauge.toFixed(1) : gauge.toFixed(2);
      } else if (kind === 2) {
        counter += rate + Math.floor(r() * rate * 0.1);
        value = String(counter);
      } else if (kind === 3) {
        counterBig += BigInt(rate + Math.floor(r() * 50));
        value = counterBig.toString();
      } else if (kind === 4) {
        value = floatToken(Math.exp(r() * 3) / 7);
      } else {
        value = floatToken(Math.fround(15 + r() * 10));
      }
      yield { metric, tags, timestamp, value };
    }
  }
}
