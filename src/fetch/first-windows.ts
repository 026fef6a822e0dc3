// Reads the first (newest) window of many metrics several metrics to a /api/query request, so that a
// cluster of many small metrics does not pay a round trip (and the TSD a query) per metric: 10,000
// metrics of 3 series each cost 10,000 queries, and the client's CPU went mostly to the requests.
//
// Batches are read ahead of the backup's workers, up to `inFlight` batches whose metrics no worker took
// yet (an earlier version kept one batch in flight and lost the TSD's parallelism: it was slower than a
// query per metric). The TSD builds
// each answer in memory, so a batch is sized by what the previous answer held: it starts at one metric
// and grows at most 4x per answer, only as far as its points stay near `targetPoints` and its series
// well below the ~16k that a 2.4 answer can hold (dense metrics stay one to a request). A batch that
// fails for any reason is not retried as a batch: its metrics are read one by one as before (with their
// own splitting and error messages), and batches start small again.

import type { TsdClient } from '../opentsdb/client.js';
import { countPoints, type FetchedPiece } from './query-unit.js';
import { windowStart } from './window-sizer.js';

type Client = Pick<TsdClient, 'queryRawMetrics'>;

export interface FirstWindowConfig {
  initialWindowMs: number;
  targetPoints: number;
  /** The bytes all batches in flight may answer with, together. */
  maxResponseBytes: number;
  /** Batches read at once (the backup's concurrency). */
  inFlight: number;
  /** Most metrics in one request. */
  maxBatch?: number;
}

const GROWTH = 4;
// On the real 2.4.1, 1,024 small metrics (3 series, 34 points each) took ~2 ms a metric one to a request,
// ~0.3-0.7 ms in batches of 16 to 64, and 1.5-2.6 ms in batches of 256 (4 requests in flight): past some
// size a request's sub-queries cost more each.
const DEFAULT_MAX_BATCH = 64;
/** Most series in one batch's answer: far below the ~16k at which a 2.4 TSD fails to serialize one. */
const MAX_BATCH_SERIES = 4000;

/** The first window a metric's newest-first walk reads over `range` (settled-windows.ts). */
export function firstWindow(range: { start: number; end: number }, initialWindowMs: number): { start: number; end: number } {
  return { start: windowStart(range.end, initialWindowMs, range.start), end: range.end };
}

interface Batch {
  /** Metrics of the batch not handed out yet. */
  left: number;
}

export class FirstWindows {
  private readonly index = new Map<string, number>();
  private readonly pending = new Map<string, { batch: Batch; pieces: Promise<FetchedPiece[] | undefined> }>();
  private next = 0;
  private batchSize = 1;
  /** Batches with metrics not handed out yet: in flight, or answered and waiting for their workers. */
  private open = 0;
  /** Requests made (each answers a batch of metrics). */
  queries = 0;

  constructor(
    private readonly client: Client,
    /** In the order they will be asked for. */
    private readonly metrics: readonly string[],
    private readonly range: { start: number; end: number },
    private readonly cfg: FirstWindowConfig,
    private readonly signal?: AbortSignal,
  ) {
    metrics.forEach((m, i) => this.index.set(m, i));
  }

  /** The pieces of the metric's first window, or undefined: read it yourself. Each metric is handed out once. */
  async take(metric: string): Promise<FetchedPiece[] | undefined> {
    const i = this.index.get(metric);
    if (i === undefined) return undefined;
    // A metric asked before its turn starts a batch there (those it skipped are read by themselves).
    if (!this.pending.has(metric) && i >= this.next) this.startBatch(i);
    const p = this.pending.get(metric);
    if (!p) return undefined;
    this.pending.delete(metric);
    if (--p.batch.left === 0) this.open--;
    this.fill();
    return p.pieces;
  }

  /** Starts batches ahead of the workers, up to `inFlight` open at once. */
  private fill(): void {
    while (this.open < this.cfg.inFlight && this.next < this.metrics.length) this.startBatch(this.next);
  }

  private startBatch(from: number): void {
    const names = this.metrics.slice(from, from + Math.min(this.batchSize, this.cfg.maxBatch ?? DEFAULT_MAX_BATCH));
    this.next = from + names.length;
    const w = firstWindow(this.range, this.cfg.initialWindowMs);
    const batch: Batch = { left: names.length };
    this.open++;
    this.queries++;
    const maxBytes = Math.max(1, Math.floor(this.cfg.maxResponseBytes / this.cfg.inFlight));
    const answer = this.client.queryRawMetrics(names, w.start, w.end, { signal: this.signal, maxBytes }).then(
      ({ series, bytes }) => {
        let points = 0;
        let seriesCount = 0;
        const pieces = new Map<string, FetchedPiece[]>();
        for (const metric of names) {
          const s = series.get(metric) ?? [];
          const n = countPoints(s);
          points += n;
          seriesCount += s.length;
          // The request's bytes are shared out evenly: they are only reported.
          pieces.set(metric, [{ unit: { metric, start: w.start, end: w.end, filters: [] }, series: s, points: n, responseBytes: Math.round(bytes / names.length), shared: true }]);
        }
        const perMetric = Math.max(1, points / names.length);
        const seriesPerMetric = Math.max(1, seriesCount / names.length);
        this.batchSize = Math.max(1, Math.min(names.length * GROWTH, Math.floor(this.cfg.targetPoints / perMetric), Math.floor(MAX_BATCH_SERIES / seriesPerMetric)));
        return pieces;
      },
      () => {
        this.batchSize = 1;
        return undefined;
      },
    );
    for (const m of names) this.pending.set(m, { batch, pieces: answer.then((p) => p?.get(m)) });
  }
}
