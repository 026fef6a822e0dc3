// Backup chains with a local repository: full, late and new writes, incremental; --at restores the
// state as of the full backup; the chain restores everything; prune keeps exactly what its rules say.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { differences, snapshot } from '../support/compare-clusters.js';
import type { SeedPoint } from '../support/dataset.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { linesOf, summaryOf } from '../support/json-output.js';

export interface ChainSetup {
  sourceUrl: string;
  /** Two targets: --at is restored into the first, the whole chain into the second. */
  targetUrl: string;
  secondTargetUrl: string;
  prefix: string;
  now: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

function series(prefix: string, host: string, from: number, to: number): SeedPoint[] {
  const out: SeedPoint[] = [];
  for (let t = from; t < to; t += 30_000) {
    out.push({ metric: `${prefix}.load`, tags: { host }, timestamp: t, value: (((t / 30_000) % 40) / 8).toFixed(3) });
    out.push({ metric: `${prefix}.requests`, tags: { host }, timestamp: t + 7, value: String(Math.floor(t / 1000)) });
  }
  return out;
}

async function countChunks(repo: string): Promise<number> {
  let n = 0;
  for (const d of await readdir(path.join(repo, 'data')).catch(() => [] as string[])) n += (await readdir(path.join(repo, 'data', d))).length;
  return n;
}

export function chainScenario(name: string, setup: () => Promise<ChainSetup>): void {
  it(`incremental chains, --at, and prune (${name})`, async () => {
    const c = await setup();
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-chain-'));
    const at = (t: number) => ({ now: () => new Date(t) });
    const metrics = [`${c.prefix}.load`, `${c.prefix}.requests`];
    const t0 = c.now - 6 * HOUR;
    try {
      await initRepo(repo);
      await putPoints(c.sourceUrl, series(c.prefix, 'a', t0, c.now - 3 * HOUR));
      const f1 = await cli(
        ['full', '--source', c.sourceUrl, '--repo', repo, '--metric', `${c.prefix}.*`, '--start', String(t0), '--end', String(c.now - 3 * HOUR), '--json'],
        at(c.now - 3 * HOUR + MIN),
      );
      expect(f1.code, f1.stderr).toBe(0);
      const stateAtF1 = await snapshot(c.sourceUrl, metrics, t0, c.now);

      // Late points (inside the default 1 h overlap) and new ones, then an incremental.
      await putPoints(c.sourceUrl, series(c.prefix, 'late', c.now - 3 * HOUR - 40 * MIN, c.now - 3 * HOUR));
      await putPoints(c.sourceUrl, series(c.prefix, 'a', c.now - 3 * HOUR, c.now - 10 * MIN));
      const i1 = await cli(['incremental', '--source', c.sourceUrl, '--repo', repo, '--json'], at(c.now));
      expect(i1.code, i1.stderr).toBe(0);
      const i1Summary = i1.json.find((j) => j.type === 'summary')!;
      expect(i1Summary).toMatchObject({
        type: 'summary',
        command: 'incremental',
        schemaVersion: 1,
        backupType: 'incremental',
        parentId: summaryOf(f1).backupId,
      });
      // It reads from the parent's end minus the 1 h overlap to now minus the 2 min settle lag: the new
      // data, not the history.
      const range = { start: i1Summary.start as number, end: i1Summary.end as number };
      expect(range).toEqual({ start: c.now - 3 * HOUR + 1 - HOUR, end: c.now - 2 * MIN });
      let inWindow = 0;
      for (const pts of (await snapshot(c.sourceUrl, metrics, range.start, range.end)).values()) inWindow += pts.length;
      expect(i1Summary.points).toBe(inWindow);

      const atF1 = await cli(['restore', '--repo', repo, '--target', c.targetUrl, '--at', new Date(c.now - 3 * HOUR + 2 * MIN).toISOString(), '--json']);
      expect(atF1.code, atF1.stderr).toBe(0);
      expect(differences(stateAtF1, await snapshot(c.targetUrl, metrics, t0, c.now))).toEqual([]);

      const chain = await cli(['restore', '--repo', repo, '--target', c.secondTargetUrl, '--json']);
      expect(chain.code, chain.stderr).toBe(0);
      expect(summaryOf(chain).chainIds).toHaveLength(2);
      const [src, dst] = await Promise.all([snapshot(c.sourceUrl, metrics, t0, c.now), snapshot(c.secondTargetUrl, metrics, t0, c.now)]);
      expect(differences(src, dst)).toEqual([]);
      expect([...src.keys()].some((k) => k.includes('host=late'))).toBe(true);

      // A second chain, then prune: --keep-last 1 keeps the newest chain whole and removes the first.
      const f2 = await cli(['full', '--source', c.sourceUrl, '--repo', repo, '--metric', `${c.prefix}.*`, '--start', String(t0), '--json'], at(c.now + HOUR));
      expect(f2.code, f2.stderr).toBe(0);
      const i2 = await cli(['incremental', '--source', c.sourceUrl, '--repo', repo, '--json'], at(c.now + 2 * HOUR));
      expect(i2.code, i2.stderr).toBe(0);
      const ids = (r: typeof f2) => String(summaryOf(r).backupId);
      const dry = await cli(['prune', '--repo', repo, '--keep-last', '1', '--dry-run', '--json']);
      expect(dry.code, dry.stderr).toBe(0);
      const before = await countChunks(repo);
      const pruned = await cli(['prune', '--repo', repo, '--keep-last', '1', '--json']);
      expect(pruned.code, pruned.stderr).toBe(0);
      const removed = summaryOf(pruned).removedBackupIds as string[];
      expect(removed.sort()).toEqual([ids(f1), ids(i1)].sort());
      expect((summaryOf(dry).removedBackupIds as string[]).sort()).toEqual(removed.sort());
      expect(linesOf<{ backupId: string }>(pruned, 'decision').find((d) => d.backupId === ids(f2))).toMatchObject({
        keep: true,
        reasons: [`chain of ${ids(i2)}`],
      });
      const listed = await cli(['list', '--repo', repo, '--json']);
      expect(linesOf<{ backupId: string }>(listed, 'backup').map((b) => b.backupId)).toEqual([ids(f2), ids(i2)]);
      expect(await countChunks(repo)).toBeLessThan(before);
      expect((await cli(['verify', '--repo', repo, '--all'])).code).toBe(0);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
}
