import { describe, expect, it } from 'vitest';
import { FirstWindows, firstWindow } from '../../src/fetch/first-windows.js';
import { KIND_INT } from '../../src/format/point-value.js';
import { TsdHttpError } from '../../src/opentsdb/errors.js';
import type { QueriedSeries } from '../../src/opentsdb/query-response.js';

const HOUR = 3_600_000;
const range = { start: 100 * HOUR, end: 110 * HOUR - 1 };

/**
 * A stub TSD where each metric has `pointsPer(metric)` points (in `seriesPer` series) in every window;
 * a request naming a `fail` metric fails. Answers wait until `release()` when `hold` is set.
 */
function stub(pointsPer: (m: string) => number, opts: { fail?: Set<string>; seriesPer?: number; hold?: boolean } = {}) {
  const requests: string[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const waiting: Array<() => void> = [];
  return {
    requests,
    maxInFlight: () => maxInFlight,
    release: () => waiting.splice(0).forEach((go) => go()),
    async queryRawMetrics(metrics: readonly string[], start: number, end: number) {
      requests.push([...metrics]);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (opts.hold) await new Promise<void>((go) => waiting.push(go));
      inFlight--;
      if (metrics.some((m) => opts.fail?.has(m))) throw new TsdHttpError('stub', 400, 'No such name');
      const series = new Map<string, QueriedSeries[]>();
      for (const m of metrics) {
        const n = pointsPer(m);
        const per = opts.seriesPer ?? 1;
        const list: QueriedSeries[] = [];
        for (let s = 0; s < per; s++) {
          const ts = Array.from({ length: Math.ceil(n / per) }, (_, i) => start + i);
          list.push({ metric: m, tags: { host: `h${s}` }, timestamps: ts, kinds: ts.map(() => KIND_INT), values: ts.map(() => 1) });
        }
        series.set(m, list);
        expect(list.every((s) => s.timestamps.every((t) => t <= end))).toBe(true);
      }
      return { series, bytes: 1000 };
    },
  };
}

describe('first windows of many metrics', () => {
  const cfg = { initialWindowMs: HOUR, targetPoints: 1000, maxResponseBytes: 1 << 20, inFlight: 1 };
  const metrics = Array.from({ length: 300 }, (_, i) => `m${String(i).padStart(3, '0')}`);

  it('reads the first window of small metrics several to a request, growing the batch with what it saw', async () => {
    const client = stub(() => 10);
    const fw = new FirstWindows(client, metrics, range, { ...cfg, maxBatch: 256 });
    for (const m of metrics) {
      const pieces = (await fw.take(m))!;
      expect(pieces).toHaveLength(1);
      expect(pieces[0]!.unit).toEqual({ metric: m, ...firstWindow(range, HOUR), filters: [] });
      expect(pieces[0]!.series[0]!.metric).toBe(m);
      expect(pieces[0]!.shared).toBe(true);
      // each metric is handed out once
      expect(await fw.take(m)).toBeUndefined();
    }
    // One batch ahead of the worker, each sized by the last answer: 1 and 1 (asked before any answer),
    // 4, 16, 64, then at most 100 at 10 points each (targetPoints 1000)
    expect(client.requests.map((r) => r.length)).toEqual([1, 1, 4, 16, 64, 100, 100, 14]);
    expect(client.requests.flat()).toEqual(metrics);
    expect(fw.queries).toBe(8);
  });

  it('keeps up to inFlight batches in flight at once, ahead of the workers', async () => {
    const client = stub(() => 10, { hold: true });
    const fw = new FirstWindows(client, metrics.slice(0, 20), range, { ...cfg, inFlight: 3 });
    const first = fw.take('m000');
    await Promise.resolve();
    // the batch of m000 (handed out), and three more ahead of the worker
    expect(client.requests).toEqual([['m000'], ['m001'], ['m002'], ['m003']]);
    client.release();
    expect((await first)![0]!.series[0]!.metric).toBe('m000');
    const rest = [];
    for (const m of metrics.slice(1, 20)) {
      const p = fw.take(m);
      await Promise.resolve();
      client.release();
      rest.push(await p);
    }
    expect(rest.every((p) => p?.[0]?.unit.metric !== undefined)).toBe(true);
    expect(client.maxInFlight()).toBe(4);
    expect(client.requests.flat()).toEqual(metrics.slice(0, 20));
  });

  it('asks at most 64 metrics in one request by default (the TSD slows down past that)', async () => {
    const client = stub(() => 1);
    const fw = new FirstWindows(client, metrics, range, cfg);
    for (const m of metrics) await fw.take(m);
    expect(Math.max(...client.requests.map((r) => r.length))).toBe(64);
  });

  it('keeps dense metrics one to a request, and a batch below the series a TSD answer can hold', async () => {
    const dense = stub(() => 5000);
    const fw = new FirstWindows(dense, metrics.slice(0, 5), range, cfg);
    for (const m of metrics.slice(0, 5)) await fw.take(m);
    expect(dense.requests.every((r) => r.length === 1)).toBe(true);

    // 1,000 series of one point each: points allow 1,000 metrics a batch, series at most 4
    const wide = stub(() => 1000, { seriesPer: 1000 });
    const fw2 = new FirstWindows(wide, metrics.slice(0, 20), range, { ...cfg, targetPoints: 1_000_000 });
    for (const m of metrics.slice(0, 20)) await fw2.take(m);
    expect(Math.max(...wide.requests.map((r) => r.length))).toBe(4);
  });

  it('hands a failed batch back to be read metric by metric, and starts small again', async () => {
    const client = stub(() => 10, { fail: new Set(['m010']) });
    const fw = new FirstWindows(client, metrics.slice(0, 30), range, cfg);
    const got = [];
    for (const m of metrics.slice(0, 30)) got.push(await fw.take(m));
    // batches m000, m001, m002-m005, m006-m021 (fails: each read alone), then m022 alone again
    expect(client.requests.slice(0, 4).map((r) => [r[0], r.length])).toEqual([['m000', 1], ['m001', 1], ['m002', 4], ['m006', 16]]);
    expect(got.slice(6, 22).every((p) => p === undefined)).toBe(true);
    expect(got.slice(0, 6).every((p) => p !== undefined)).toBe(true);
    expect(client.requests[4]).toEqual(['m022']);
  });

  it('leaves a metric it was not given to be read by itself', async () => {
    const client = stub(() => 10);
    const fw = new FirstWindows(client, ['a', 'b'], range, cfg);
    expect(await fw.take('resumed')).toBeUndefined();
    expect(client.requests).toEqual([]);
  });
});
