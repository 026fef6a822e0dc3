// A restore into the real OpenTSDB killed with SIGKILL midway, then `restore --resume`: the resumed run
// skips the chunks the journal records and the acknowledged points of the one cut off midway, rewrites the
// rest (the puts in flight at the kill included, over rows the TSD has compacted meanwhile), and the target
// then holds exactly the source's points.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { differences, snapshot } from '../support/compare-clusters.js';
import { initRepo } from '../support/init-repo.js';
import { summaryOf } from '../support/json-output.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';
import { spawnCli } from '../support/spawn-cli.js';

const T0 = Date.UTC(2026, 1, 9);
const METRICS = Array.from({ length: 6 }, (_, i) => `e2e.rresume.m${i}`);
const PER_SERIES = 1500;
const END = T0 + PER_SERIES * 10_000;

/** Chunks the journal(s) of the state directory record as completely written. */
async function journaled(stateDir: string): Promise<number> {
  const names = await readdir(stateDir).catch(() => [] as string[]);
  let n = 0;
  for (const name of names.filter((f) => f.endsWith('.jsonl')))
    n += (await readFile(path.join(stateDir, name), 'utf8')).split('\n').filter((l) => l.startsWith('{"chunk"') && l.includes('"points":')).length;
  return n;
}

describe.runIf(!inject('e2eSkipped'))('restore --resume after kill -9 (real OpenTSDB)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-e2e-rresume-'));
    // Integers and floats (4-byte and 8-byte) in three series per metric, every 10 s.
    const points = METRICS.flatMap((metric, m) =>
      Array.from({ length: PER_SERIES * 3 }, (_, i) => ({
        metric,
        tags: { host: `h${i % 3}` },
        timestamp: T0 + Math.floor(i / 3) * 10_000,
        value: i % 2 === 0 ? String(i * (m + 1)) : `${i}.${m}1`,
      })),
    );
    await putPoints(inject('sourceUrl'), points, { maxBodyBytes: 500_000 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a restore killed after some chunks is resumed, and every point compares equal', async () => {
    const repo = path.join(dir, 'repo');
    const stateDir = path.join(dir, 'state');
    await initRepo(repo);
    const full = await cli([
      'full',
      '--source',
      inject('sourceUrl'),
      '--repo',
      repo,
      '--metric',
      'e2e.rresume.*',
      '--start',
      String(T0),
      '--end',
      String(END),
      '--target-points',
      '900',
      '--json',
    ]);
    expect(full.code, full.stderr).toBe(0);
    const chunks = Number(summaryOf(full).chunks);
    const points = Number(summaryOf(full).points);
    expect(points).toBe(METRICS.length * PER_SERIES * 3);
    expect(chunks).toBeGreaterThanOrEqual(12);

    // The harness's default target: 8 KiB bodies, names not auto-created. One chunk at a time and one put in
    // flight until the kill (how fast a restore goes is no part of what --resume must match).
    const args = ['restore', '--repo', repo, '--target', inject('targetUrl'), '--state-dir', stateDir];
    const child = spawnCli([...args, '--concurrency', '1', '--put-concurrency', '1']);
    const deadline = Date.now() + 120_000;
    while ((await journaled(stateDir)) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await child.stop();
    const before = await journaled(stateDir);
    expect(before, 'the restore was killed after some chunks and before the last').toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(chunks);

    // Reading the series compacts the rows written so far; the resumed run writes the cut-off chunk into them again.
    await snapshot(inject('targetUrl'), METRICS, T0, END);
    const resumed = await cli([...args, '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const s = summaryOf(resumed);
    expect(s).toMatchObject({ chunks, journal: null, failed: 0, resumed: { chunks: before } });
    expect((s.resumed as { partialChunks: number }).partialChunks).toBeLessThanOrEqual(1);
    expect(Number(s.chunksWritten)).toBe(chunks - before);
    expect(Number(s.written) + Number((s.resumed as { points: number }).points)).toBe(points);
    expect(await journaled(stateDir)).toBe(0);

    expect(differences(await snapshot(inject('sourceUrl'), METRICS, T0, END), await snapshot(inject('targetUrl'), METRICS, T0, END))).toEqual([]);
    // And the tool's own point-by-point comparison of the target with the backup.
    const compare = await cli(['compare', String(summaryOf(full).backupId), '--repo', repo, '--source', inject('targetUrl'), '--json']);
    expect(compare.code, compare.stderr).toBe(0);
  });
});
