import { describe, expect, it } from 'vitest';
import { FirstWindows, firstWindow } from '../../src/fetch/first-windows.js';
import type { FetchedPiece, QueryUnit } from '../../src/fetch/query-unit.js';
import { KIND_INT } from '../../src/format/point-value.js';
import { TsdHttpError } from '../../src/opentsdb/errors.js';
import type { QueriedSeries } from '../../src/opentsdb/query-response.js';

const HOUR = 3_600_000;
const range = { start: 100 * HOUR, end: 110 * HOUR - 1 };

/**
 * A stub TSD where each metric has `pointsPer(metric)` points (in `seriesPer` series) in every window;
 * a request naming a `fail` metric fails. Batch answers wait until `release()` when `hold` is set.
 */
function stub(pointsPer: (m: string) => number, opts: { fail?: Set<string>; seriesPer?: number; hold?: boolean; wide?: Set<string> } = {}) {
  const requests: string[][] = [];
  const alone: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const waiting: Array<() => void> = [];
  const seriesOf = (m: string, start: number, end: number): QueriedSeries[] => {
    const per = opts.seriesPer ?? 1;
    const list: QueriedSeries[] = [];
    for (let s = 0; s < per; s++) {
      const ts = Array.from({ length: Math.ceil(pointsPer(m) / per) }, (_, i) => start + i);
      list.push({ metric: m, tags: { host: `h${s}` }, timestamps: ts, kinds: ts.map(() => KIND_INT), values: ts.map(() => 1) });
    }
    expect(list.every((s) => s.timestamps.every((t) => t <= end))).toBe(true);
    return list;
  };
  return {
    requests,
    alone,
    maxInFlight: () => maxInFlight,
    release: () => waiting.splice(0).forEach((go) => go()),
    async readAlone(unit: QueryUnit): Promise<FetchedPiece[]> {
      alone.push(unit.metric);
      if (opts.fail?.has(unit.metric)) throw new TsdHttpError('stub', 400, 'No such name');
      const series = seriesOf(unit.metric, unit.start, unit.end);
      return [{ unit, series, points: series.reduce((n, s) => n + s.timestamps.length, 0), responseBytes: 100 }];
    },
    counted: [] as string[][],
    /** As a 2.4.1 TSD counts: a `wide` metric has 20,000 series (a raw query of it all would hang). */
    async countSeriesOfMetrics(metrics: readonly string[]) {
      this.counted.push([...metrics]);
      return metrics.reduce((n, m) => n + (opts.wide?.has(m) ? 20_000 : (opts.seriesPer ?? 1)), 0);
    },
    async queryRawMetrics(metrics: readonly string[], start: number, end: number) {
      if (metrics.some((m) => opts.wide?.has(m))) throw new Error(`the TSD hangs: a batch ${metrics.join(',')} holds a metric of 20,000 series`);
      requests.push([...metrics]);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (opts.hold) await new Promise<void>((go) => waiting.push(go));
      inFlight--;
      if (metrics.some((m) => opts.fail?.has(m))) throw new TsdHttpError('stub', 400, 'No such name');
      return { series: new Map(metrics.map((m) => [m, seriesOf(m, start, end)])), bytes: 1000 };
    },
  };
}

const windows = (client: ReturnType<typeof stub>, metrics: string[], cfg: ConstructorParameters<typeof FirstWindows>[3]) =>
  new FirstWindows(client, metrics, range, cfg, (u) => client.readAlone(u));

describe('first windows of many metrics', () => {
  const cfg = { initialWindowMs: HOUR, targetPoints: 1000, maxResponseBytes: 1 << 20, inFlight: 1 };
  const metrics = Array.from({ length: 300 }, (_, i) => `m${String(i).padStart(3, '0')}`);

  it('reads the first window of small metrics several to a request, growing the batch with what it saw', async () => {
    const client = stub(() => 10);
    const fw = windows(client, metrics, { ...cfg, maxBatch: 256 });
    for (const m of metrics) {
      const w = (await fw.take(m))!;
      expect(w).toMatchObject(firstWindow(range, HOUR));
      expect(w.pieces).toHaveLength(1);
      expect(w.pieces[0]!.unit).toEqual({ metric: m, ...firstWindow(range, HOUR), filters: [] });
      expect(w.pieces[0]!.series[0]!.metric).toBe(m);
      // read alone (its own query) or in a batch (a shared one, counted by FirstWindows)
      expect(w.pieces[0]!.shared).toBe(m === 'm000' ? undefined : true);
      // each metric is handed out once
      expect(await fw.take(m)).toBeUndefined();
    }
    // The first metric read alone for its worker, then one batch ahead of the worker, each sized by the
    // last answer: 4, 16, 64, then at most 100 at 10 points each (targetPoints 1000)
    expect(client.alone).toEqual(['m000']);
    expect(client.requests.map((r) => r.length)).toEqual([4, 16, 64, 100, 100, 15]);
    expect([...client.alone, ...client.requests.flat()]).toEqual(metrics);
    // each batch: a count of its series, then its read
    expect(fw.queries).toBe(12);
  });

  it('keeps up to inFlight batches read ahead of the workers', async () => {
    const client = stub(() => 10, { hold: true });
    const fw = windows(client, metrics.slice(0, 40), { ...cfg, inFlight: 3 });
    await fw.take('m000');
    expect(client.requests).toEqual([metrics.slice(1, 5), metrics.slice(5, 9), metrics.slice(9, 13)]);
    expect(client.maxInFlight()).toBe(3);
    const got = [];
    for (const m of metrics.slice(1, 40)) {
      const p = fw.take(m);
      await Promise.resolve();
      client.release();
      got.push(await p);
    }
    expect(got.every((w) => w?.pieces[0]?.shared)).toBe(true);
    expect([...client.alone, ...client.requests.flat()]).toEqual(metrics.slice(0, 40));
  });

  it('reads dense metrics alone for their workers, and keeps a batch below the series a TSD answer can hold', async () => {
    const dense = stub(() => 5000);
    const fw = windows(dense, metrics.slice(0, 5), cfg);
    for (const m of metrics.slice(0, 5)) expect((await fw.take(m))?.pieces[0]?.points).toBe(5000);
    expect(dense.requests).toEqual([]);
    expect(dense.alone).toEqual(metrics.slice(0, 5));

    // 1,000 series of one point each: points allow 1,000 metrics a batch, series at most 4
    const wide = stub(() => 1000, { seriesPer: 1000 });
    const fw2 = windows(wide, metrics.slice(0, 20), { ...cfg, targetPoints: 1_000_000 });
    for (const m of metrics.slice(0, 20)) await fw2.take(m);
    expect(Math.max(...wide.requests.map((r) => r.length))).toBe(4);
  });

  it('asks at most 64 metrics in one request by default (the TSD slows down past that)', async () => {
    const client = stub(() => 1);
    const fw = windows(client, metrics, cfg);
    for (const m of metrics) await fw.take(m);
    expect(Math.max(...client.requests.map((r) => r.length))).toBe(64);
  });

  it('hands a failed batch back to be read metric by metric, and starts small again', async () => {
    const client = stub(() => 10, { fail: new Set(['m010']) });
    const fw = windows(client, metrics.slice(0, 30), cfg);
    const got = [];
    for (const m of metrics.slice(0, 30)) got.push(await fw.take(m).catch((e: unknown) => e));
    // m000 alone, batches m001-m004, m005-m020 (fails: each read by its worker), then m021 alone again
    expect(client.requests.slice(0, 2).map((r) => [r[0], r.length])).toEqual([
      ['m001', 4],
      ['m005', 16],
    ]);
    expect(got.slice(5, 21).every((p) => p === undefined)).toBe(true);
    expect(got.slice(0, 5).every((p) => p !== undefined)).toBe(true);
    expect(client.alone).toEqual(['m000', 'm021']);
  });

  it('a metric read alone for its worker fails as the worker reading it would', async () => {
    const client = stub(() => 10, { fail: new Set(['m000']) });
    const fw = windows(client, metrics.slice(0, 3), cfg);
    await expect(fw.take('m000')).rejects.toThrow('No such name');
    expect((await fw.take('m001'))?.pieces[0]?.points).toBe(10);
  });

  it('leaves a metric it was not given to be read by itself', async () => {
    const client = stub(() => 10);
    const fw = windows(client, ['a', 'b'], cfg);
    expect(await fw.take('resumed')).toBeUndefined();
    expect(client.requests).toEqual([]);
    expect(client.alone).toEqual([]);
  });
  it('counts each batch first, and reads a batch that would hold a wide metric one metric at a time', async () => {
    const client = stub(() => 10, { wide: new Set(['m150']) });
    const w = windows(client, metrics, cfg);
    const got = new Map<string, number>();
    for (const m of metrics) {
      const r = await w.take(m);
      const pieces = r?.pieces ?? (await client.readAlone({ metric: m, ...firstWindow(range, HOUR), filters: [] }));
      got.set(
        m,
        pieces.reduce((n, p) => n + p.points, 0),
      );
    }
    expect([...got.values()].every((n) => n === 10)).toBe(true);
    expect(client.requests.some((b) => b.includes('m150'))).toBe(false);
    expect(client.counted.some((b) => b.includes('m150'))).toBe(true);
    expect(client.alone).toContain('m150');
    // Every batch read was counted first.
    expect(client.counted.length).toBeGreaterThanOrEqual(client.requests.length);
  });
});
