/**
 * Seeds a TSD with the shared dataset (dataset.ts) at a fixed start time, so that tests and
 * benchmarks are reproducible: 2026-01-01T00:00:00Z by default.
 */
import { datasetMetrics, generateDataset, seriesKey, type DatasetScale, type SeedPoint } from './dataset.js';
import { putPoints } from './put-points.js';

export const SEED_START = Date.UTC(2026, 0, 1);

export interface SeedOptions {
  scale?: DatasetScale;
  /** hours of data, default 6 */
  hours?: number;
  seed?: number;
  /** first timestamp in ms, default SEED_START */
  start?: number;
  maxBodyBytes?: number;
  concurrency?: number;
  signal?: AbortSignal;
}

export interface SeedResult {
  points: number;
  series: number;
  metrics: string[];
  /** first and last timestamp written (ms); a query over [start, end] returns everything */
  start: number;
  end: number;
}

export async function seedTsd(url: string, opts: SeedOptions = {}): Promise<SeedResult> {
  const start = opts.start ?? SEED_START;
  const ds = { start, hours: opts.hours ?? 6, seed: opts.seed ?? 1, scale: opts.scale ?? 'small' } as const;
  const series = new Set<string>();
  let points = 0;
  let first = Infinity;
  let last = -Infinity;
  function* counted(): Generator<SeedPoint> {
    for (const p of generateDataset(ds)) {
      points++;
      series.add(seriesKey(p.metric, p.tags));
      if (p.timestamp < first) first = p.timestamp;
      if (p.timestamp > last) last = p.timestamp;
      yield p;
    }
  }
  const { written } = await putPoints(url, counted(), { maxBodyBytes: opts.maxBodyBytes, concurrency: opts.concurrency, signal: opts.signal });
  if (written !== points) throw new Error(`seedTsd: wrote ${written} of ${points} points`);
  return { points, series: series.size, metrics: datasetMetrics(ds), start: first, end: last };
}
