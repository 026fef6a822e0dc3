// The replication benchmark's write load: points with current millisecond timestamps at a steady
// rate into the primary, spread over a few hundred series of tens of metrics (integer counters and
// floats), plus two canary series that get one point per second each: one whose name sorts before the
// load's metrics and one after, as replicate copies metrics in name order. Points are generated every 100 ms and
// queued; `writers` concurrent ?details&sync puts of up to `maxBodyBytes` each drain the queue. What
// the TSD confirmed is counted, so the achieved rate is measured, not assumed. A backlog beyond
// `maxBacklogSeconds` of the rate is shed (counted), so that the timestamps stay current when the TSD
// cannot keep up (as a collector with a bounded buffer would); the canaries are never shed.

import { setTimeout as sleep } from 'node:timers/promises';

export interface LoadOptions {
  url: string;
  prefix: string;
  /** points per second, besides the canaries */
  rate: number;
  metrics: number;
  series: number;
  writers: number;
  maxBodyBytes: number;
  maxBacklogSeconds: number;
}

export interface LoadFigures {
  seconds: number;
  offered: number;
  /** points the TSD confirmed before stop() was called, and after (the queue drained) */
  written: number;
  writtenAfterStop: number;
  failed: number;
  shed: number;
  maxBacklog: number;
  requests: number;
  meanPutMs: number;
  firstError?: string;
}

interface LoadSeries {
  head: string;
  tail: string;
  float: boolean;
  lastTs: number;
  counter: number;
}

const TICK_MS = 100;

export function loadMetricNames(prefix: string, metrics: number): string[] {
  return Array.from({ length: metrics }, (_, i) => `${prefix}.m${String(i).padStart(2, '0')}`);
}

/** The canaries: copied first and last in each pass (replicate copies metrics in name order). */
export function canaryMetrics(prefix: string): { first: string; last: string } {
  return { first: `${prefix}.a.canary`, last: `${prefix}.z.canary` };
}

function seriesOf(prefix: string, metrics: number, series: number): LoadSeries[] {
  const names = loadMetricNames(prefix, metrics);
  return Array.from({ length: series }, (_, j) => {
    const metricIndex = j % metrics;
    const host = `host${String(Math.floor(j / metrics)).padStart(3, '0')}`;
    const tags = metricIndex % 3 === 0 ? { host, dc: `dc${j % 2}` } : { host };
    return {
      head: `{"metric":${JSON.stringify(names[metricIndex])},"timestamp":`,
      tail: `,"tags":${JSON.stringify(tags)}}`,
      float: metricIndex % 2 === 1,
      lastTs: 0,
      counter: j * 1000,
    };
  });
}

export class WriteLoad {
  private readonly series: LoadSeries[];
  private readonly canaries: LoadSeries[];
  private queue: string[] = [];
  private canaryQueue: string[] = [];
  private running = false;
  private startedAt = 0;
  private stoppedAt = 0;
  private lastTick = 0;
  private nextCanary = 0;
  private cursor = 0;
  private ticker?: NodeJS.Timeout;
  private writers: Promise<void>[] = [];
  private generated = 0;
  private written = 0;
  private writtenAtStop = 0;
  private failed = 0;
  private shed = 0;
  private maxBacklog = 0;
  private requests = 0;
  private putMs = 0;
  private firstError?: string;

  constructor(private readonly o: LoadOptions) {
    this.series = seriesOf(o.prefix, o.metrics, o.series);
    const { first, last } = canaryMetrics(o.prefix);
    this.canaries = [first, last].map((m) => ({
      head: `{"metric":${JSON.stringify(m)},"timestamp":`,
      tail: ',"tags":{"host":"canary"}}',
      float: false,
      lastTs: 0,
      counter: 0,
    }));
  }

  /** The points confirmed so far. */
  get confirmed(): number {
    return this.written;
  }

  start(): number {
    this.running = true;
    this.startedAt = Date.now();
    this.lastTick = this.startedAt;
    this.nextCanary = Math.ceil(this.startedAt / 1000) * 1000;
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    for (let i = 0; i < this.o.writers; i++) this.writers.push(this.writer());
    return this.startedAt;
  }

  async stop(): Promise<LoadFigures> {
    clearInterval(this.ticker);
    this.tick();
    this.stoppedAt = Date.now();
    this.writtenAtStop = this.written;
    this.running = false;
    await Promise.all(this.writers);
    const seconds = (this.stoppedAt - this.startedAt) / 1000;
    return {
      seconds,
      offered: this.generated + this.shed,
      written: this.writtenAtStop,
      writtenAfterStop: this.written - this.writtenAtStop,
      failed: this.failed,
      shed: this.shed,
      maxBacklog: this.maxBacklog,
      requests: this.requests,
      meanPutMs: this.requests ? this.putMs / this.requests : 0,
      ...(this.firstError ? { firstError: this.firstError } : {}),
    };
  }

  private value(s: LoadSeries): string {
    s.counter += 1 + (s.counter % 7);
    return s.float ? (Math.sin(s.counter / 50) * 100 + 100.5 + Math.random()).toFixed(3) : String(s.counter);
  }

  private point(s: LoadSeries, ts: number): string {
    const t = Math.max(ts, s.lastTs + 1);
    s.lastTs = t;
    return `${s.head}${t},"value":"${this.value(s)}"${s.tail}`;
  }

  private tick(): void {
    const now = Date.now();
    while (this.nextCanary <= now) {
      for (const c of this.canaries) this.canaryQueue.push(this.point(c, this.nextCanary));
      this.nextCanary += 1000;
    }
    const due = Math.floor((this.o.rate * (now - this.startedAt)) / 1000) - this.generated - this.shed;
    if (due <= 0) return;
    if (this.queue.length > this.o.rate * this.o.maxBacklogSeconds) {
      this.shed += due;
    } else {
      // Spread over the elapsed tick; a series that gets several points gets increasing timestamps.
      const span = Math.max(1, now - this.lastTick);
      for (let k = 0; k < due; k++) {
        const s = this.series[this.cursor++ % this.series.length]!;
        this.queue.push(this.point(s, this.lastTick + Math.floor((k * span) / due)));
      }
      this.generated += due;
    }
    this.lastTick = now;
    this.maxBacklog = Math.max(this.maxBacklog, this.queue.length);
  }

  private take(): string[] {
    const items = this.canaryQueue.splice(0);
    let bytes = 2 + items.reduce((n, x) => n + x.length + 1, 0);
    let n = 0;
    while (n < this.queue.length && bytes + this.queue[n]!.length + 1 <= this.o.maxBodyBytes) bytes += this.queue[n++]!.length + 1;
    return items.concat(this.queue.splice(0, n));
  }

  private async writer(): Promise<void> {
    while (this.running || this.queue.length > 0 || this.canaryQueue.length > 0) {
      const items = this.take();
      if (items.length === 0) {
        await sleep(20);
        continue;
      }
      await this.put(items);
    }
  }

  private async put(items: string[]): Promise<void> {
    const body = `[${items.join(',')}]`;
    for (let attempt = 1; ; attempt++) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${this.o.url}/api/put?details&sync`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(120_000),
        });
        const text = await res.text();
        this.requests++;
        this.putMs += performance.now() - t0;
        if (res.status >= 500 && attempt < 4) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
        let summary: { success?: number; failed?: number } = {};
        try {
          summary = JSON.parse(text) as typeof summary;
        } catch {
          // not JSON: counted as failed below
        }
        const ok = summary.success ?? 0;
        this.written += ok;
        this.failed += items.length - ok;
        if (ok < items.length) this.firstError ??= `HTTP ${res.status}: ${text.slice(0, 300)}`;
        return;
      } catch (err) {
        if (attempt >= 4) {
          this.failed += items.length;
          this.firstError ??= (err as Error).message;
          return;
        }
        await sleep(500 * attempt);
      }
    }
  }
}
