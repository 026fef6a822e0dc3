// A replicator killed at any moment resumes from its checkpoints without a gap and without writing a
// point twice (a second write with another kind would break the series on the standby). `start` runs
// `tsdb-backup replicate` the way the caller can stop it: an AbortSignal in-process (fake TSD), or
// SIGKILL of a child process (e2e).

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { cli } from '../support/run-cli-in-process.js';
import { differences, pointCount, snapshot } from '../support/compare-clusters.js';
import { putPoints } from '../support/put-points.js';
import { prng } from '../support/dataset.js';
import { mixedPoints, type ReplicationClusters } from './replication.js';

export type StartReplicator = (args: string[]) => { stop: () => Promise<void> };

async function checkpointed(state: string): Promise<boolean> {
  try {
    const doc = JSON.parse(await readFile(state, 'utf8')) as { checkpoints: Record<string, number> };
    return Object.keys(doc.checkpoints).length > 0;
  } catch {
    return false;
  }
}

export function interruptedReplicationScenario(clusters: () => ReplicationClusters, start: StartReplicator, kills = 3): void {
  it(`a replicator stopped ${kills} times in the middle of its catch-up resumes without a gap or a point written twice`, async () => {
    const c = clusters();
    const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-repl-kill-'));
    try {
      const prefix = `rk${Date.now().toString(36)}`;
      const metrics = ['counter', 'gauge', 'mixed'].map((m) => `${prefix}.${m}`);
      const t0 = Math.floor((Date.now() - 6 * 3_600_000) / 1000) * 1000;
      await putPoints(c.primaryUrl, mixedPoints(prefix, t0, Date.now() - 60_000, 20_000), { maxBodyBytes: 8000, concurrency: 4 });
      const state = path.join(dir, 'state.json');
      // Small windows: many of them, so that a kill lands between and within windows.
      const args = [
        'replicate',
        '--source',
        c.primaryUrl,
        '--target',
        c.standbyUrl,
        '--state',
        state,
        '--metric',
        `${prefix}.*`,
        '--start',
        String(t0),
        '--settle',
        '0s',
        '--once',
        '--target-points',
        '200',
        '--concurrency',
        '2',
      ];
      const random = prng(7);
      for (let k = 0; k < kills; k++) {
        const run = start(args);
        const deadline = Date.now() + 120_000;
        while (!(await checkpointed(state)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, Math.floor(random() * 400)));
        await run.stop();
      }
      const finish = await cli(args);
      expect(finish.code, finish.stderr).toBe(0);
      const end = Date.now() + 60_000;
      // A point written twice with two kinds would make these queries fail with "Duplicate timestamp".
      const [a, b] = await Promise.all([snapshot(c.primaryUrl, metrics, t0 - 1000, end), snapshot(c.standbyUrl, metrics, t0 - 1000, end)]);
      expect(pointCount(a)).toBeGreaterThan(3000);
      expect(differences(a, b)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
