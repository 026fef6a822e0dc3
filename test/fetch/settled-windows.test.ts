// The fetch side hands out windows whose kinds are final, in either order: what a sink receives is what
// the TSD stores wherever a query can tell (an integer between a float before and a float after it
// prints as a double in every query; then float is the only answer).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TsdClient } from '../../src/opentsdb/client.js';
import { silentProgress } from '../../src/progress.js';
import { newestFirst, oldestFirst, type ReadConfig } from '../../src/fetch/settled-windows.js';
import { formatValueToken } from '../../src/format/point-value.js';
import type { PrintedTail } from '../../src/fetch/kind-inference.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import type { SeedPoint } from '../support/dataset.js';
import { KIND_PATTERNS } from '../support/kind-patterns.js';

const T0 = Date.UTC(2026, 2, 1);
const MIN = 60_000;
const HOUR = 60 * MIN;

const PATTERNS: Record<string, Array<[number, string]>> = {
  ...KIND_PATTERNS,
  sparseInts: [
    [0, '7'],
    [3 * HOUR, '8'],
    [3 * HOUR + MIN, '8.5'],
    [7 * HOUR, '9'],
    [7 * HOUR + MIN, '9.5'],
  ],
};
const END = T0 + 10 * HOUR;

/** The walks' settings in these tests: small windows, so that a few hundred points take several. */
function readConfig(contextFloor: number, targetPoints: number, maxResponseBytes = 1 << 20): ReadConfig {
  return {
    sizing: { initialWindowMs: 10 * MIN, minWindowMs: MIN, maxWindowMs: 7 * 24 * HOUR, targetPoints },
    maxResponseBytes,
    minWindowMs: MIN,
    splitSampleSize: 100,
    contextFloor,
    progress: silentProgress,
  };
}

function seedPoints(): SeedPoint[] {
  const out: SeedPoint[] = [];
  for (const [name, pts] of Object.entries(PATTERNS))
    for (const [t, value] of pts) out.push({ metric: 'kinds.windows', tags: { pattern: name }, timestamp: T0 + t, value });
  return out;
}

/** What a query-only client can know of the stored kinds (see kind-fidelity.test.ts). */
function observable(tsd: FakeTsd): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of tsd.dump().filter((x) => x.metric === 'kinds.windows')) {
    const k = s.points.map((p) => (p.kind === 'int' ? 'i' : 'f'));
    out.set(s.tags.pattern!, k.map((x, i) => (x === 'i' && k[i + 1] === 'f' && k[i - 1] !== 'i' ? 'f' : x)).join(''));
  }
  return out;
}

async function collect(
  windows: AsyncGenerator<{ pieces: Array<{ series: Array<{ tags: Record<string, string>; timestamps: number[]; kinds: number[]; values: unknown[] }> }> }>,
): Promise<Map<string, Array<[number, string]>>> {
  const out = new Map<string, Array<[number, string]>>();
  for await (const w of windows) {
    for (const p of w.pieces) {
      for (const s of p.series) {
        const list = out.get(s.tags.pattern!) ?? [];
        s.timestamps.forEach((ts, i) => list.push([ts, `${s.kinds[i] === 0 ? 'i' : 'f'}:${formatValueToken(s.kinds[i] as 0, s.values[i] as number)}`]));
        out.set(s.tags.pattern!, list);
      }
    }
  }
  for (const list of out.values()) list.sort((a, b) => a[0] - b[0]);
  return out;
}

function kindsOf(got: Map<string, Array<[number, string]>>): Map<string, string> {
  return new Map([...got].map(([k, v]) => [k, v.map(([, x]) => x[0]).join('')]));
}

describe('settled windows (fake TSD)', () => {
  let tsd: FakeTsd;
  let client: TsdClient;
  const cfg = readConfig(T0, 4);
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(tsd.url, seedPoints());
    client = new TsdClient({ url: tsd.url });
  });
  afterAll(async () => tsd.close());

  it('newest first: every kind final, as stored', async () => {
    const got = await collect(newestFirst(client, 'kinds.windows', { start: T0, end: END }, cfg));
    expect(kindsOf(got)).toEqual(observable(tsd));
  });

  it('oldest first: every kind final, as stored, and the same points as newest first', async () => {
    const forward = await collect(oldestFirst(client, 'kinds.windows', { start: T0, end: END }, cfg));
    expect(kindsOf(forward)).toEqual(observable(tsd));
    expect(forward).toEqual(await collect(newestFirst(client, 'kinds.windows', { start: T0, end: END }, cfg)));
  });

  it('oldest first in consecutive ranges (replication cycles), with and without carried tails', async () => {
    for (const carry of [true, false]) {
      const tails = new Map<string, PrintedTail>();
      const parts = [];
      for (let from = T0; from <= END; from += 150 * MIN) {
        parts.push(
          await collect(
            oldestFirst(
              client,
              'kinds.windows',
              { start: from, end: Math.min(END, from + 150 * MIN - 1) },
              { ...cfg, contextFloor: 0 },
              { tails: carry ? tails : new Map() },
            ),
          ),
        );
      }
      const merged = new Map<string, Array<[number, string]>>();
      for (const part of parts) for (const [k, v] of part) merged.set(k, [...(merged.get(k) ?? []), ...v]);
      expect(kindsOf(merged), `carry=${carry}`).toEqual(observable(tsd));
    }
  });
});

describe('newest first reads the next window ahead', () => {
  let tsd: FakeTsd;
  const T = Date.UTC(2026, 4, 1);
  const cfg = readConfig(T, 50);
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(
      tsd.url,
      Array.from({ length: 600 }, (_, i) => ({
        metric: 'ahead.m',
        tags: { h: String(i % 3) },
        timestamp: T + i * 10_000,
        value: i % 7 === 0 ? `${i}.5` : String(i),
      })),
    );
  });
  afterAll(async () => tsd.close());

  /** A client that counts its queries in flight, each answered after a short delay. */
  function countingClient(): { client: TsdClient; maxInFlight: () => number; inFlight: () => number } {
    const real = new TsdClient({ url: tsd.url });
    let now = 0;
    let max = 0;
    const client = Object.create(real) as TsdClient;
    client.queryRaw = async (q, opts) => {
      now++;
      max = Math.max(max, now);
      try {
        await new Promise((r) => setTimeout(r, 15));
        return await real.queryRaw(q, opts);
      } finally {
        now--;
      }
    };
    return { client, maxInFlight: () => max, inFlight: () => now };
  }

  it('has the next window in flight while the consumer works, and hands out exactly the points of a walk without it', async () => {
    const c = countingClient();
    const got: string[] = [];
    for await (const w of newestFirst(c.client, 'ahead.m', { start: T, end: T + 6000 * 1000 }, cfg)) {
      await new Promise((r) => setTimeout(r, 30)); // the consumer encodes and stores
      for (const p of w.pieces) for (const s of p.series) s.timestamps.forEach((ts, i) => got.push(`${s.tags.h}@${ts}=${s.kinds[i]}:${String(s.values[i])}`));
    }
    expect(c.maxInFlight()).toBe(2);
    expect(got.sort()).toEqual(Array.from({ length: 600 }, (_, i) => `${i % 3}@${T + i * 10_000}=${i % 7 === 0 ? 1 : 0}:${i % 7 === 0 ? `${i}.5` : i}`).sort());
  });

  it('leaves no request running when the consumer stops early', async () => {
    const c = countingClient();
    let windows = 0;
    for await (const _ of newestFirst(c.client, 'ahead.m', { start: T, end: T + 6000 * 1000 }, cfg)) {
      if (++windows === 2) break;
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(c.inFlight()).toBe(0);
  });
});

describe('a window read ahead', () => {
  it('accepts at most a quarter of the response limit (a larger answer is split, not held), and the points stay exact', async () => {
    const tsd = await startFakeTsd({ autoCreateMetrics: true });
    try {
      const T = Date.UTC(2026, 6, 1);
      await putPoints(
        tsd.url,
        Array.from({ length: 900 }, (_, i) => ({ metric: 'ahead.cap', tags: { h: String(i % 3) }, timestamp: T + i * 10_000, value: String(i) })),
      );
      const client = new TsdClient({ url: tsd.url });
      const limits: number[] = [];
      const spy = Object.create(client) as TsdClient;
      spy.queryRaw = (q, opts) => {
        limits.push(opts?.maxBytes ?? -1);
        return client.queryRaw(q, opts);
      };
      const cfg = readConfig(T, 100, 40_000);
      let points = 0;
      for await (const w of newestFirst(spy, 'ahead.cap', { start: T, end: T + 9000 * 1000 }, cfg)) points += w.points;
      expect(points).toBe(900);
      expect(limits).toContain(40_000);
      expect(limits).toContain(10_000);
      expect(limits.every((l) => l === 40_000 || l === 10_000)).toBe(true);
    } finally {
      await tsd.close();
    }
  });
});
