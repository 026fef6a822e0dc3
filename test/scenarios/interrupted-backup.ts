// A backup interrupted at any moment never looks complete, and the next run completes. `interrupt`
// stops a running backup the way the scenario's caller can: an AbortSignal in-process, or SIGKILL of a
// child process in the end-to-end suite.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import type { ScenarioClusters } from './round-trip.js';
import { linesOf, summaryOf } from '../support/json-output.js';

export type StartBackup = (args: string[]) => { stop: () => Promise<void> };

export async function waitForChunk(repo: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dirs = await readdir(path.join(repo, 'data')).catch(() => [] as string[]);
    for (const d of dirs) {
      const files = await readdir(path.join(repo, 'data', d)).catch(() => [] as string[]);
      if (files.some((f) => !f.includes('.tmp-'))) return;
    }
    if (Date.now() > deadline) throw new Error(`no chunk appeared in ${repo} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function interruptedBackupScenario(clusters: () => ScenarioClusters, start: StartBackup): void {
  it('a backup interrupted after its first chunk leaves nothing that looks complete, and the next run completes', async () => {
    const c = clusters();
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-int-'));
    try {
      await initRepo(repo);
      const args = [
        'full',
        '--source',
        c.sourceUrl,
        '--repo',
        repo,
        '--start',
        String(c.start),
        '--end',
        String(c.end),
        '--concurrency',
        '1',
        '--target-points',
        '500',
      ];
      const run = start(args);
      await waitForChunk(repo);
      await run.stop();
      const listed = await cli(['list', '--repo', repo, '--json']);
      expect(listed.code).toBe(0);
      expect(linesOf(listed, 'backup')).toEqual([]);
      expect(summaryOf(listed)).toMatchObject({ command: 'list', backups: 0 });
      expect((await cli(['verify', '--repo', repo])).code).toBe(10);
      expect((await cli(['restore', '--repo', repo, '--dry-run'])).code).toBe(10);

      const again = await cli([...args, '--json']);
      expect(again.code, again.stderr).toBe(0);
      const summary = again.json.find((j) => j.type === 'summary')!;
      expect(summary.points).toBe(c.points);
      expect(Number(summary.reusedChunks)).toBeGreaterThan(0);
      expect((await cli(['verify', '--repo', repo])).code).toBe(0);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
}
