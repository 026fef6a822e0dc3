// Reads the first (newest) window of many metrics several metrics to a /api/query request, so that a
// cluster of many small metrics does not pay a round trip (and the TSD a query) per metric: 10,000
// metrics of 3 series each cost 10,000 queries, and the client's CPU went mostly to the requests.
//
// Batches are read ahead of the backup's workers, up to `inFlight` batches whose metrics no worker took
// yet (an earlier version kept one batch in flight and lost the TSD's parallelism: it was slower than a
// query per metric). The TSD builds
// each answer in memory, so a batch is sized by what the previous answer held: it starts at one metric
// and grows at most 4x per answer, only as far as its points stay near `targetPoints` and its series
// well below the ~16k that a 2.4 answer can hold. While batches are of one metric (at the start, among
// dense metrics, after a failure) nothing is read ahead: the worker's metric is read alone for it, with the
// worker's own splitting, byte budget and errors (so a metric too large for one answer is never asked
// twice, nor held in memory ahead of its worker). A batch of several metrics that fails for any reason
// is not retried as a batch: its metrics are read one by one as before, and batches start small again.
// Each batch is counted first (one small answer): a metric with many more series than those before it
// would make the batch's answer hang on a 2.4.1 TSD, so such a batch is read one metric at a time.

import type { TsdClient } from '../opentsdb/client.js';
import { countPoints, type FetchedPiece, type QueryUnit } from './query-unit.js';
import { MAX_SERIES_PER_QUERY } from './series-count.js';
import { windowStart } from './window-sizer.js';

type Client = Pick<TsdClient, 'queryRawMetrics' | 'countSeriesOfMetrics'>;

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

/** A metric's first window, read already. */
export interface ReadWindow {
  start: number;
  end: number;
  pieces: FetchedPiece[];
}

interface Batch {
  /** Metrics of the batch not handed out yet. */
  left: number;
}

export class FirstWindows {
  private readonly index = new Map<string, number>();
  private readonly pending = new Map<string, { batch: Batch; window: Promise<ReadWindow | undefined> }>();
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
    /** Reads one metric's window as its worker would (fetch-unit.ts: splitting, errors); its pieces are its own queries. */
    private readonly readAlone: (unit: QueryUnit) => Promise<FetchedPiece[]>,
    private readonly signal?: AbortSignal,
  ) {
    metrics.forEach((m, i) => this.index.set(m, i));
  }

  /**
   * The metric's first window, or undefined: read it yourself. Each metric is handed out once. Rejects as
   * the worker's own read would when the metric is read alone for it.
   */
  async take(metric: string): Promise<ReadWindow | undefined> {
    const i = this.index.get(metric);
    if (i === undefined) return undefined;
    if (!this.pending.has(metric)) {
      // A metric asked before its turn goes on from there (those it skipped are read by themselves).
      if (i < this.next) return undefined;
      if (this.batchSize === 1) return this.readOne(metric, i);
      this.startBatch(i);
    }
    const p = this.pending.get(metric)!;
    this.pending.delete(metric);
    if (--p.batch.left === 0) this.open--;
    this.fill();
    return p.window;
  }

  /** Reads the metric alone for its worker, and sizes the next batches by what it held. */
  private async readOne(metric: string, i: number): Promise<ReadWindow> {
    this.next = i + 1;
    const w = firstWindow(this.range, this.cfg.initialWindowMs);
    const pieces = await this.readAlone({ metric, ...w, filters: [] });
    this.learn(
      1,
      countPoints(pieces.flatMap((p) => p.series)),
      pieces.reduce((n, p) => n + p.series.length, 0),
    );
    this.fill();
    return { ...w, pieces };
  }

  private learn(metrics: number, points: number, series: number): void {
    const perMetric = Math.max(1, points / metrics);
    const seriesPerMetric = Math.max(1, series / metrics);
    this.batchSize = Math.max(1, Math.min(metrics * GROWTH, Math.floor(this.cfg.targetPoints / perMetric), Math.floor(MAX_BATCH_SERIES / seriesPerMetric)));
  }

  /** Starts batches of several metrics ahead of the workers, up to `inFlight` open at once. */
  private fill(): void {
    while (this.batchSize > 1 && this.open < this.cfg.inFlight && this.next < this.metrics.length) this.startBatch(this.next);
  }

  private startBatch(from: number): void {
    const names = this.metrics.slice(from, from + Math.min(this.batchSize, this.cfg.maxBatch ?? DEFAULT_MAX_BATCH));
    this.next = from + names.length;
    const w = firstWindow(this.range, this.cfg.initialWindowMs);
    const batch: Batch = { left: names.length };
    this.open++;
    this.queries++;
    const maxBytes = Math.max(1, Math.floor(this.cfg.maxResponseBytes / this.cfg.inFlight));
    // A metric of the batch may have far more series than those before it: a 2.4.1 TSD never answers a
    // query over ~12k series (series-count.ts), so the batch is counted first, and read one by one over that.
    const read = async (): Promise<Awaited<ReturnType<Client['queryRawMetrics']>>> => {
      this.queries++;
      const series = await this.client.countSeriesOfMetrics(names, w.start, w.end, { signal: this.signal });
      if (series > MAX_SERIES_PER_QUERY) throw new Error(`${series} series: too many for one query`);
      return this.client.queryRawMetrics(names, w.start, w.end, { signal: this.signal, maxBytes });
    };
    const answer = read().then(
      ({ series, bytes }) => {
        let points = 0;
        let seriesCount = 0;
        const windows = new Map<string, ReadWindow>();
        for (const metric of names) {
          const s = series.get(metric) ?? [];
          const n = countPoints(s);
          points += n;
          seriesCount += s.length;
          // The request's bytes are shared out evenly: they are only reported.
          windows.set(metric, {
            ...w,
            pieces: [{ unit: { metric, ...w, filters: [] }, series: s, points: n, responseBytes: Math.round(bytes / names.length), shared: true }],
          });
        }
        this.learn(names.length, points, seriesCount);
        return windows;
      },
      () => {
        this.batchSize = 1;
        return undefined;
      },
    );
    for (const m of names) this.pending.set(m, { batch, window: answer.then((p) => p?.get(m)) });
  }
}
