// A series with a tag key named `__proto__` next to the same series without it (both legal on OpenTSDB 2.4.1,
// answered apart) is backed up as two series and restored as two, every point exact. It was backed up merged
// ("1 series, 2 points") and restored as one series whose point was overwritten, exit 0.

import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import { annotateSeries } from '../support/annotate.js';
import { initRepo } from '../support/init-repo.js';
import { readAnnotations } from '../support/metadata.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';

export interface ProtoTagSetup {
  sourceUrl: string;
  targetUrl: string;
  metric: string;
  t0: number;
}

/** Every series of a metric as "tags points", tags and points in order, read with JSON.parse (which keeps __proto__). */
async function seriesOf(url: string, metric: string, start: number, end: number): Promise<string[]> {
  const res = await fetch(`${url}/api/query?arrays`, {
    method: 'POST',
    body: JSON.stringify({ start, end, msResolution: true, noAnnotations: true, queries: [{ aggregator: 'none', metric }] }),
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const doc = JSON.parse(text) as Array<{ tags: Record<string, string>; dps: Array<[number, number]> }>;
  return doc.map((s) => `${JSON.stringify(Object.entries(s.tags).sort())} ${JSON.stringify(s.dps)}`).sort();
}

export function protoTagScenario(name: string, setup: () => Promise<ProtoTagSetup>): void {
  it(`a tag key named __proto__ stays a series of its own through full and restore (${name})`, async () => {
    const { sourceUrl, targetUrl, metric, t0 } = await setup();
    const proto = JSON.parse('{"__proto__":"x","host":"a"}') as Record<string, string>;
    await putPoints(sourceUrl, [
      { metric, tags: proto, timestamp: t0, value: '1' },
      { metric, tags: proto, timestamp: t0 + 60_000, value: '1.5' },
      { metric, tags: { host: 'a' }, timestamp: t0, value: '2' },
    ]);
    const range = { start: t0 - 60_000, end: t0 + 120_000 };
    const source = await seriesOf(sourceUrl, metric, range.start, range.end);
    expect(source).toHaveLength(2);
    await annotateSeries(sourceUrl, metric, proto, range, [{ startTime: t0 / 1000 + 30, description: 'on the __proto__ series' }]);
    const notes = await readAnnotations(sourceUrl, metric, range);
    expect(notes.series).toHaveLength(1);
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-proto-'));
    try {
      await initRepo(repo);
      const b = await cli([
        'full',
        '--source',
        sourceUrl,
        '--repo',
        repo,
        '--metric',
        metric,
        '--start',
        String(range.start),
        '--end',
        String(range.end),
        '--json',
      ]);
      expect(b.code, b.stderr).toBe(0);
      expect(b.json.find((e) => e.type === 'summary')).toMatchObject({ series: 2, points: 3 });
      const r = await cli(['restore', '--repo', repo, '--target', targetUrl, '--json']);
      expect(r.code, r.stderr).toBe(0);
      await expect.poll(() => seriesOf(targetUrl, metric, range.start, range.end), { timeout: 10_000 }).toEqual(source);
      expect((await readAnnotations(targetUrl, metric, range)).series).toEqual(notes.series);
      expect(Object.keys(notes.series[0]!.tags).sort()).toEqual(['__proto__', 'host']);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
}
