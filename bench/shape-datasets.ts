// The cluster shapes of `npm run bench:shapes`, each about the same number of points in its own time
// range: the bench mix (bench-dataset.ts, a few metrics with hundreds of series), many small metrics
// (10,000 metrics x 3 series), one wide metric (50,000 series of a few points each), and one long metric
// (100 series over more than a day: read window after window, alone).

import { benchPoints, shapeFor, type BenchPoint } from './bench-dataset.js';

export interface ShapeDataset {
  name: string;
  /** short name for --only */
  key: 'dense' | 'small' | 'wide' | 'one';
  /** metric patterns that select this dataset alone (BENCH_METRICS) */
  metrics: string[];
  /** inclusive range in ms that holds every point of it */
  first: number;
  end: number;
  points: () => Generator<BenchPoint>;
}

const INTERVAL_MS = 10_000;
export const SMALL_METRICS = 10_000;
export const SMALL_SERIES = 3;
export const WIDE_SERIES = 50_000;
export const ONE_SERIES = 100;

function* regular(metric: string, tags: Record<string, string>, start: number, n: number, seed: number): Generator<BenchPoint> {
  // gauges with one decimal for two series in three, counters for the third: both kinds, no ambiguity tricks
  let x = (seed * 7919) % 1000;
  for (let i = 0; i < n; i++) {
    x += (seed + i) % 7;
    const value = seed % 3 === 2 ? String(x * 10) : `${(x / 10).toFixed(1)}`;
    yield { metric, tags, timestamp: start + i * INTERVAL_MS, value };
  }
}

export function shapeDatasets(totalPoints: number, base: number): ShapeDataset[] {
  const day = 86_400_000;
  const dense = shapeFor(totalPoints, base);
  const denseMetrics = [...new Set([...benchPoints({ ...dense, pointsPerSeries: 1 })].map((p) => p.metric))];
  const smallStart = base + 100 * day;
  const smallPer = Math.ceil(totalPoints / (SMALL_METRICS * SMALL_SERIES));
  const wideStart = base + 200 * day;
  const widePer = Math.ceil(totalPoints / WIDE_SERIES);
  const oneStart = base + 300 * day;
  const onePer = Math.ceil(totalPoints / ONE_SERIES);
  const dcs = ['ams', 'fra', 'par'];
  return [
    {
      name: 'dense',
      key: 'dense',
      metrics: denseMetrics,
      // a tenth of the series have ms timestamps up to 100 ms early, 5% of points come a second late
      first: base - 1000,
      end: base + dense.pointsPerSeries * dense.intervalMs + 1000,
      points: () => benchPoints(dense),
    },
    {
      name: `${SMALL_METRICS / 1000}k metrics`,
      key: 'small',
      metrics: ['shape.small.*'],
      first: smallStart,
      end: smallStart + smallPer * INTERVAL_MS,
      points: function* () {
        for (let m = 0; m < SMALL_METRICS; m++) {
          const metric = `shape.small.m${String(m).padStart(5, '0')}`;
          for (let s = 0; s < SMALL_SERIES; s++)
            yield* regular(metric, { host: `host-${s}`, dc: dcs[(m + s) % 3]! }, smallStart, smallPer, m * SMALL_SERIES + s);
        }
      },
    },
    {
      name: `${WIDE_SERIES / 1000}k series`,
      key: 'wide',
      metrics: ['shape.wide'],
      first: wideStart,
      end: wideStart + widePer * INTERVAL_MS,
      points: function* () {
        for (let s = 0; s < WIDE_SERIES; s++) yield* regular('shape.wide', { host: `w-${String(s).padStart(5, '0')}`, dc: dcs[s % 3]! }, wideStart, widePer, s);
      },
    },
    {
      name: 'one metric',
      key: 'one',
      metrics: ['shape.one'],
      first: oneStart,
      end: oneStart + onePer * INTERVAL_MS,
      points: function* () {
        for (let s = 0; s < ONE_SERIES; s++) yield* regular('shape.one', { host: `o-${String(s).padStart(4, '0')}`, dc: dcs[s % 3]! }, oneStart, onePer, s);
      },
    },
  ];
}
