// Builds /api/put bodies from decoded series, each within the target's body limit. Values are sent as
// strings in the exact form that makes OpenTSDB store the same kind (see formatValueToken); whole-second
// timestamps go out as seconds, the form nearly all collectors write, others as milliseconds.
// With gzip the limit applies to the compressed body, which holds many more points.

import { gzipSync } from 'node:zlib';
import { formatValueToken } from '../format/point-value.js';
import type { Series } from '../format/series.js';
import { inIntervals, type Interval } from '../repository/time-intervals.js';
import { PointTooLargeError } from './restore-errors.js';

export interface PutBody {
  body: Uint8Array;
  points: number;
  gzip: boolean;
}

export interface BatchOptions {
  maxBodyBytes: number;
  gzip: boolean;
}

function seriesPrefix(metric: string, tags: Record<string, string>): string {
  return `{"metric":${JSON.stringify(metric)},"tags":${JSON.stringify(tags)},"timestamp":`;
}

/** The JSON objects of every point inside `intervals`, one string each. */
export function* pointJson(metric: string, series: readonly Series[], intervals: readonly Interval[]): Generator<string> {
  for (const s of series) {
    const prefix = seriesPrefix(metric, s.tags);
    for (let i = 0; i < s.timestamps.length; i++) {
      const ts = s.timestamps[i]!;
      if (!inIntervals(ts, intervals)) continue;
      // Whole seconds go as seconds, except above 0xFFFFFFFF s (2106-02-07), which OpenTSDB reads as ms.
      const wireTs = ts % 1000 === 0 && ts / 1000 <= 0xffffffff ? ts / 1000 : ts;
      yield `${prefix}${wireTs},"value":"${formatValueToken(s.kinds[i]!, s.values[i]!)}"}`;
    }
  }
}

function joinBody(items: readonly string[]): Buffer {
  return Buffer.from(`[${items.join(',')}]`, 'utf8');
}

/** Splits a list of point objects into bodies within the limit (compressed when gzip is on). */
export class PutBatcher {
  private pending: string[] = [];
  private pendingBytes = 2;
  private rawTarget: number;

  constructor(private readonly opts: Pick<BatchOptions, 'maxBodyBytes' | 'gzip'>) {
    this.rawTarget = opts.gzip ? opts.maxBodyBytes * 8 : opts.maxBodyBytes;
  }

  /** Adds one point object; returns the bodies that became full. */
  add(item: string): PutBody[] {
    const size = Buffer.byteLength(item) + 1;
    if (size + 2 > this.opts.maxBodyBytes && !this.opts.gzip) {
      throw new PointTooLargeError(`one data point needs ${size} bytes, more than the target's ${this.opts.maxBodyBytes}-byte limit: ${item.slice(0, 200)}`);
    }
    const out: PutBody[] = [];
    if (this.pending.length > 0 && this.pendingBytes + size > this.rawTarget) out.push(...this.flush());
    this.pending.push(item);
    this.pendingBytes += size;
    return out;
  }

  flush(): PutBody[] {
    if (this.pending.length === 0) return [];
    const items = this.pending;
    this.pending = [];
    this.pendingBytes = 2;
    return this.encode(items);
  }

  private encode(items: string[]): PutBody[] {
    const raw = joinBody(items);
    if (!this.opts.gzip) return [{ body: raw, points: items.length, gzip: false }];
    const body = gzipSync(raw, { level: 6 });
    if (body.length <= this.opts.maxBodyBytes) {
      // Aim the next batch at ~90% of the limit given the ratio this one achieved.
      this.rawTarget = Math.max(this.opts.maxBodyBytes, Math.floor((raw.length * this.opts.maxBodyBytes * 0.9) / body.length));
      return [{ body, points: items.length, gzip: true }];
    }
    if (items.length === 1) {
      throw new PointTooLargeError(
        `one data point needs ${body.length} compressed bytes, more than the target's ${this.opts.maxBodyBytes}-byte limit: ${items[0]!.slice(0, 200)}`,
      );
    }
    this.rawTarget = Math.max(this.opts.maxBodyBytes, Math.floor(this.rawTarget * 0.7));
    const half = Math.ceil(items.length / 2);
    return [...this.encode(items.slice(0, half)), ...this.encode(items.slice(half))];
  }
}
