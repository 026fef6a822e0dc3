// The harness's tools for real failures: an extra TSD of this file on the shared HBase and source
// tables (stopped, killed, started again), and deleteRange (data really deleted from HBase).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { snapshot } from '../../support/compare-clusters.js';
import type { SeedPoint } from '../../support/dataset.js';
import { deleteRange } from '../../support/delete-range.js';
import { putPoints } from '../../support/put-points.js';
import { startExtraTsd, type ExtraTsd } from './extra-tsd.js';

const skipped = inject('e2eSkipped');
const launch = inject('tsdLaunch');
const run = Date.now().toString(36);
const T0 = Date.UTC(2026, 4, 1); // an hour boundary
const MIN = 60_000;

function points(metric: string, host: string, from: number, to: number, stepMs: number): SeedPoint[] {
  const out: SeedPoint[] = [];
  for (let t = from, i = 0; t <= to; t += stepMs, i++) out.push({ metric, tags: { host }, timestamp: t, value: i % 2 ? `${i}.5` : String(i) });
  return out;
}

async function refused(url: string): Promise<string> {
  try {
    const res = await fetch(`${url}/api/version`, { signal: AbortSignal.timeout(5_000) });
    return `answered ${res.status}`;
  } catch (err) {
    return String((err as { cause?: { code?: string } }).cause?.code);
  }
}

describe.skipIf(skipped || !launch)('an extra TSD on the harness HBase', () => {
  const source = inject('sourceUrl');
  const metric = `e2e.extra.${run}`;
  const range = [T0, T0 + 3 * 3_600_000] as const;
  let tsd: ExtraTsd;

  beforeAll(async () => {
    await putPoints(source, points(metric, 'a', T0, T0 + 2 * 3_600_000, 10 * MIN));
    tsd = await startExtraTsd(launch!, 'source');
  });
  afterAll(async () => {
    await tsd?.stop();
  });

  it("serves the source's data, and what it writes the source serves", async () => {
    expect(tsd.url).not.toBe(source);
    const seen = await snapshot(tsd.url, [metric], ...range);
    expect(seen.get(`${metric}{host=a}`)).toHaveLength(13);
    expect(seen).toEqual(await snapshot(source, [metric], ...range));
    await putPoints(tsd.url, [{ metric: `${metric}.via`, tags: { host: 'x' }, timestamp: T0, value: '7' }]);
    expect(await snapshot(source, [`${metric}.via`], ...range)).toEqual(new Map([[`${metric}.via{host=x}`, [`${T0}=7`]]]));
  });

  it('stop (SIGTERM) makes it unreachable; start brings it back on the same port with the data', async () => {
    const expected = await snapshot(source, [metric], ...range);
    await tsd.stop();
    expect(tsd.running).toBe(false);
    expect(tsd.lastExit).toEqual({ code: 143, signal: null });
    expect(await refused(tsd.url)).toBe('ECONNREFUSED');
    expect(await refused(source)).toBe('answered 200');
    const ms = await tsd.start();
    expect(ms).toBeGreaterThan(0);
    expect(tsd.running).toBe(true);
    expect(await snapshot(tsd.url, [metric], ...range)).toEqual(expected);
  });

  it('kill (SIGKILL) makes it unreachable; it starts again with other settings', async () => {
    await tsd.kill();
    expect(tsd.lastExit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await refused(tsd.url)).toBe('ECONNREFUSED');
    await tsd.start({ 'tsd.mode': 'ro' });
    const config = (await (await fetch(`${tsd.url}/api/config`)).json()) as Record<string, string>;
    expect(config['tsd.mode']).toBe('ro');
    expect(config['tsd.storage.hbase.data_table']).toBe('tsdb-source');
    const put = await fetch(`${tsd.url}/api/put`, { method: 'POST', body: JSON.stringify({ metric, timestamp: T0, value: 1, tags: { host: 'a' } }) });
    expect(put.status).toBe(404);
    expect((await snapshot(tsd.url, [metric], ...range)).get(`${metric}{host=a}`)).toHaveLength(13);
  });
});

describe.skipIf(skipped)('deleteRange on the real TSD', () => {
  const source = inject('sourceUrl');
  const target = inject('targetUrl');

  for (const [side, url] of [
    ['source', source],
    ['target', target],
  ] as const) {
    it(`removes exactly the range, in the middle of hours, of the chosen series only (${side})`, async () => {
      const metric = `e2e.delete.${side}.${run}`;
      const end = T0 + 3 * 3_600_000 + 50 * MIN;
      // one point a minute over four hourly rows, plus points on and next to the range's edges
      const start = T0 + 50 * MIN + 30_000;
      const last = T0 + 2 * 3_600_000 + 10 * MIN + 30_000;
      const edges = [start - 1, start, last, last + 1].map((t, i) => ({ metric, tags: { host: 'a' }, timestamp: t, value: `${i}.25` }));
      const a = [...points(metric, 'a', T0, end, MIN), ...edges];
      const b = points(metric, 'b', T0, end, MIN);
      await putPoints(url, [...a, ...b]);
      const before = await snapshot(url, [metric], T0, end);

      const r = await deleteRange(url, metric, start, last, { host: 'a' });

      const inRange = a.filter((p) => p.timestamp >= start && p.timestamp <= last);
      const sameRows = a.filter((p) => (p.timestamp < start || p.timestamp > last) && p.timestamp < T0 + 3 * 3_600_000);
      expect(r).toEqual({ deleted: inRange.length, rewritten: sameRows.length });
      const after = await snapshot(url, [metric], T0, end);
      const kept = new Set(a.filter((p) => p.timestamp < start || p.timestamp > last).map((p) => p.timestamp));
      expect(after.get(`${metric}{host=a}`)).toEqual(before.get(`${metric}{host=a}`)!.filter((x) => kept.has(Number(x.split('=')[0]))));
      expect(after.get(`${metric}{host=a}`)).toContain(`${start - 1}=0.25`);
      expect(after.get(`${metric}{host=a}`)).toContain(`${last + 1}=3.25`);
      expect(after.get(`${metric}{host=b}`)).toEqual(before.get(`${metric}{host=b}`));
    });
  }
});
