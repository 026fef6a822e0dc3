// The operator's workflow with an S3 repository: full, more writes, incremental, list, verify,
// restore of the chain into another cluster, prune, and a refused overlapping run.

import { expect, it } from 'vitest';
import { acquireLock } from '../../src/repository/lock.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { differences, snapshot } from '../support/compare-clusters.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import type { SeedPoint } from '../support/dataset.js';
import { summaryOf } from '../support/json-output.js';

export interface S3WorkflowSetup {
  sourceUrl: string;
  targetUrl: string;
  s3: { endpoint: string; bucket: string };
  /** A metric prefix no other test writes. */
  prefix: string;
  /** The time the test pretends it is; points are written just before it. */
  now: number;
}

function points(prefix: string, from: number, to: number, step: number): SeedPoint[] {
  const out: SeedPoint[] = [];
  for (let t = from; t < to; t += step) {
    out.push({ metric: `${prefix}.gauge`, tags: { host: 'a' }, timestamp: t, value: ((Math.round(t / step) % 100) / 4).toFixed(2) });
    out.push({ metric: `${prefix}.counter`, tags: { host: 'b' }, timestamp: t, value: String(2 ** 60 + t) });
  }
  return out;
}

export function s3WorkflowScenario(name: string, setup: () => Promise<S3WorkflowSetup>): void {
  it(`full + incremental + restore with an S3 repository (${name})`, async () => {
    const c = await setup();
    const HOUR = 3_600_000;
    const repo = `s3://${c.s3.bucket}/${c.prefix}-${Date.now()}`;
    const s3 = ['--s3-endpoint', c.s3.endpoint, '--s3-force-path-style', '--s3-region', 'us-east-1'];
    const metrics = [`${c.prefix}.gauge`, `${c.prefix}.counter`];
    const start = c.now - 6 * HOUR;
    await putPoints(c.sourceUrl, points(c.prefix, start, c.now - 2 * HOUR, 10_000));
    const at = (t: number) => ({ now: () => new Date(t) });

    await initRepo(repo, { args: s3 });
    const full = await cli(
      [
        'full',
        '--source',
        c.sourceUrl,
        '--repo',
        repo,
        ...s3,
        '--metric',
        `${c.prefix}.*`,
        '--start',
        String(start),
        '--end',
        String(c.now - 2 * HOUR),
        '--json',
      ],
      at(c.now - 2 * HOUR + 1000),
    );
    expect(full.code, full.stderr).toBe(0);
    // late points inside the overlap, and new ones
    await putPoints(
      c.sourceUrl,
      points(c.prefix, c.now - 2 * HOUR - 30 * 60_000 + 5000, c.now - 2 * HOUR, 10_000).map((p) => ({ ...p, tags: { host: 'late' } })),
    );
    await putPoints(c.sourceUrl, points(c.prefix, c.now - 2 * HOUR, c.now - 5 * 60_000, 10_000));
    const incr = await cli(['incremental', '--source', c.sourceUrl, '--repo', repo, ...s3, '--settle', '2m', '--json'], at(c.now));
    expect(incr.code, incr.stderr).toBe(0);
    const summary = incr.json.find((j) => j.type === 'summary')!;
    expect(summary.backupType).toBe('incremental');

    const list = await cli(['list', '--repo', repo, ...s3, '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect((summaryOf(list) as { chains: Array<{ backupIds: string[] }> }).chains[0]!.backupIds).toHaveLength(2);
    expect((await cli(['verify', '--repo', repo, ...s3, '--all'])).code).toBe(0);

    // an overlapping run is refused by the lock, with its own exit code
    const lock = await acquireLock(openStorage(repo, { s3: { endpoint: c.s3.endpoint, forcePathStyle: true, region: 'us-east-1' } }), {
      kind: 'exclusive',
      command: 'test',
    });
    const refused = await cli(['incremental', '--source', c.sourceUrl, '--repo', repo, ...s3, '--quiet'], at(c.now + 60_000));
    await lock.release();
    expect(refused.code).toBe(11);
    expect(refused.stderr).toMatch(/locked by 'test'/);

    const restored = await cli(['restore', '--repo', repo, ...s3, '--target', c.targetUrl, '--json']);
    expect(restored.code, restored.stderr).toBe(0);
    const [a, b] = await Promise.all([snapshot(c.sourceUrl, metrics, start, c.now), snapshot(c.targetUrl, metrics, start, c.now)]);
    expect(differences(a, b)).toEqual([]);
    expect([...a.keys()].some((k) => k.includes('host=late'))).toBe(true);

    const pruned = await cli(['prune', '--repo', repo, ...s3, '--keep-last', '1', '--json']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(summaryOf(pruned).removedBackupIds).toEqual([]);
  });
}
