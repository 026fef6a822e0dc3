// Writes the benchmark dataset into a TSD.

import { putPoints } from '../test/support/put-points.js';
import { benchPoints, shapeFor, type BenchPoint, type BenchShape } from './bench-dataset.js';

/** Writes the dataset series by series; a batch the TSD could not store is written again (harmless). */
export async function seed(url: string, shape: BenchShape, seed = 42): Promise<{ written: number }> {
  return seedPoints(url, benchPoints(shape, seed));
}

/** Seeds the benchmark mix of about `points` points from 2025-01-01 on; returns its shape and time range. */
export async function seedBenchMix(url: string, points: number): Promise<{ shape: BenchShape; start: number; end: number }> {
  const start = Date.UTC(2025, 0, 1);
  const shape = shapeFor(points, start);
  const end = start + shape.pointsPerSeries * shape.intervalMs + 1000;
  process.stderr.write(`bench: seeding ${shape.series} series x ${shape.pointsPerSeries} points\n`);
  await seed(url, shape);
  return { shape, start, end };
}

/** Writes any points, in batches of 200,000 (each retried as a whole). */
export async function seedPoints(url: string, points: Iterable<BenchPoint>): Promise<{ written: number }> {
  let written = 0;
  let batch: BenchPoint[] = [];
  const flush = async (): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        written += (await putPoints(url, batch, { maxBodyBytes: 500_000, concurrency: 4 })).written;
        batch = [];
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
        process.stderr.write(`bench: seeding failed (${(err as Error).message.slice(0, 120)}), again in ${attempt * 5} s\n`);
        await new Promise((r) => setTimeout(r, attempt * 5000));
      }
    }
  };
  for (const p of points) {
    batch.push(p);
    if (batch.length >= 200_000) await flush();
  }
  await flush();
  return { written };
}
