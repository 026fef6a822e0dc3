// The rate limits against a real OpenTSDB 2.4.1: backups with --limit-points and --limit-bytes and a
// restore with --limit-points never exceed the limit by more than 5% (measured by this test over the
// wall time of the whole command) and reach at least 80% of it over the limited phase the run reports.

import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { SeedPoint } from '../support/dataset.js';
import { initRepo } from '../support/init-repo.js';
import { summaryOf } from '../support/json-output.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';
import { useTempDir } from '../support/temp-dir.js';

const skipped = inject('e2eSkipped');
const METRIC = 'e2e.limits.rate';
const START = Date.UTC(2026, 2, 1);
const SERIES = 4;
const PER_SERIES = 2000;
const POINTS = SERIES * PER_SERIES;

function* points(): Generator<SeedPoint> {
  for (let s = 0; s < SERIES; s++)
    for (let i = 0; i < PER_SERIES; i++)
      yield { metric: METRIC, tags: { host: `h${s}` }, timestamp: START + i * 1000, value: i % 3 === 0 ? `${i}.5` : String(i) };
}

interface LimitJson {
  option: string;
  perSecond: number;
  amount: number;
  achievedPerSecond: number;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const began = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - began) / 1000 };
}

describe.runIf(!skipped)('real OpenTSDB 2.4.1: rate limits', () => {
  const dir = useTempDir('limits-e2e-');
  let repo = '';
  const range = ['--start', String(START), '--end', String(START + PER_SERIES * 1000)];

  beforeAll(async () => {
    // The source accepts chunked bodies of up to 1 MiB: a few large puts, not a hundred synced ones.
    await putPoints(inject('sourceUrl'), points(), { maxBodyBytes: 256_000, concurrency: 4 });
    repo = path.join(dir(), 'repo');
    await initRepo(repo);
  }, 120_000);

  // The wall time of the whole command is longer than the limited phase (start, preflight, commit), so
  // the amount over it proves the upper bound; the lower bound is checked on the rate the run reports
  // over its limited phase.
  const expectWithin = (r: { json: Array<Record<string, unknown>> }, option: string, limit: number, amount: number | undefined, seconds: number): void => {
    const reported = (summaryOf(r).limits as LimitJson[]).find((l) => l.option === option)!;
    expect(reported).toMatchObject({ perSecond: limit });
    if (amount !== undefined) expect(reported.amount).toBe(amount);
    expect(seconds).toBeGreaterThanOrEqual(3);
    expect(reported.amount / seconds).toBeLessThanOrEqual(limit * 1.05);
    expect(reported.achievedPerSecond).toBeLessThanOrEqual(limit * 1.05);
    expect(reported.achievedPerSecond).toBeGreaterThanOrEqual(limit * 0.8);
  };

  it('backup --limit-points: points read per second within [0.8, 1.05] of the limit', async () => {
    const limit = 2500; // 8000 points: at least 3.2 s
    const { value: r, seconds } = await timed(() =>
      cli(['full', '--source', inject('sourceUrl'), '--repo', repo, '--metric', METRIC, ...range, '--json', '--limit-points', String(limit)]),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(summaryOf(r).points).toBe(POINTS);
    expectWithin(r, '--limit-points', limit, POINTS, seconds);
  }, 60_000);

  it('backup --limit-bytes: answer bytes per second within [0.8, 1.05] of the limit', async () => {
    const other = path.join(dir(), 'repo-bytes');
    await initRepo(other);
    const limit = 50_000; // the answer of 8000 points is ~175 KB: about 3.5 s
    const { value: r, seconds } = await timed(() =>
      cli(['full', '--source', inject('sourceUrl'), '--repo', other, '--metric', METRIC, ...range, '--json', '--limit-bytes', String(limit)]),
    );
    expect(r.code, r.stderr).toBe(0);
    expect((summaryOf(r).limits as LimitJson[])[0]!.amount).toBeGreaterThanOrEqual(summaryOf(r).responseBytes as number);
    expectWithin(r, '--limit-bytes', limit, undefined, seconds);
  }, 60_000);

  it('restore --limit-points: points written per second within [0.8, 1.05] of the limit', async () => {
    const limit = 2000; // 8000 points: at least 4 s
    // Into an empty range of the target (a sandbox reused by reruns holds the unshifted points): the check
    // before writing then reads nothing back, which would count against the limit too.
    const shift = `+${1 + (Date.now() % 3000)}d`;
    const { value: r, seconds } = await timed(() =>
      cli(['restore', '--repo', repo, '--target', inject('targetUrl'), '--json', '--shift', shift, '--limit-points', String(limit)]),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(summaryOf(r).written).toBe(POINTS);
    expectWithin(r, '--limit-points', limit, POINTS, seconds);
  }, 60_000);
});
