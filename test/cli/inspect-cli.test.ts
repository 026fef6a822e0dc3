// show, diff, compare and verify at the command line: errors and exit codes around the scenario of
// test/scenarios/inspect.ts.

import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';

const T0 = Date.UTC(2026, 5, 1, 12);

describe('inspect commands (fake TSD)', () => {
  let tsd: FakeTsd;
  let repo: string;
  let backupId: string;
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-inspect-cli-'));
    await initRepo(repo);
    await putPoints(
      tsd.url,
      ['c.a', 'c.b'].flatMap((metric) => Array.from({ length: 10 }, (_, i) => ({ metric, tags: { host: 'h' }, timestamp: T0 + i * 60_000, value: String(i) }))),
    );
    const full = await cli(['full', '--source', tsd.url, '--repo', repo, '--start', String(T0 - 3_600_000), '--json'], {
      now: () => new Date(T0 + 2 * 3_600_000),
    });
    expect(full.code, full.stderr).toBe(0);
    backupId = String(full.json.find((j) => j.type === 'summary')!.backupId ?? full.json.find((j) => j.type === 'summary')!.id);
  });
  afterAll(async () => {
    await tsd.close();
    await rm(repo, { recursive: true, force: true });
  });

  it('compare exits 12 when the TSD cannot be reached', async () => {
    const r = await cli(['compare', '--source', `http://127.0.0.1:${await closedPort()}`, backupId, '--repo', repo, '--retries', '1']);
    expect(r.code, r.stderr).toBe(12);
  });

  it('compare without a backup id and no backup of that source exits 10', async () => {
    const r = await cli(['compare', '--source', 'http://other-tsd:4242', '--repo', repo, '--retries', '1']);
    expect(r.code, r.stderr).toBe(10);
  });

  it('show of an unknown backup exits 10; diff needs two ids (usage, 2)', async () => {
    expect((await cli(['show', '20990101T000000Z-abcdef', '--repo', repo])).code).toBe(10);
    expect((await cli(['diff', backupId, '--repo', repo])).code).toBe(2);
  });

  it('show prints the metrics with exact numbers', async () => {
    const r = await cli(['show', '--repo', repo]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^c\.a\s+1\s+10\s/m);
    expect(r.stdout).toContain(`data      ${new Date(T0).toISOString()} .. ${new Date(T0 + 9 * 60_000).toISOString()}`);
  });

  it('diff and compare show progress: log lines on stderr, progress objects with --json', async () => {
    for (const args of [
      ['diff', backupId, backupId],
      ['compare', '--source', tsd.url, backupId],
    ]) {
      const text = await cli([...args, '--repo', repo]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stderr).toMatch(new RegExp(`^\\S+Z ${args[0]}: .*metrics, 0/\\d+ chunks`, 'm'));
      const json = await cli([...args, '--repo', repo, '--json']);
      const progress = json.json.find((j) => j.type === 'progress');
      expect(progress).toMatchObject({ chunks: 0, chunksPlanned: args[0] === 'diff' ? 4 : 2, pointsPlanned: args[0] === 'diff' ? 40 : 20, percent: 0 });
      expect(json.json.at(-1)).toMatchObject({ type: 'summary', command: args[0], equal: true });
    }
  });

  it('verify names the metric and window of a corrupt chunk', async () => {
    const dir = path.join(repo, 'data');
    const sub = (await readdir(dir))[0]!;
    const file = (await readdir(path.join(dir, sub)))[0]!;
    await writeFile(path.join(dir, sub, file), 'garbage');
    const r = await cli(['verify', '--repo', repo]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(new RegExp(`data/${sub}/${file} \\(metric c\\.[ab], ${new Date(T0 - 3_600_000).toISOString().replace(/\./g, '\\.')} \\.\\. `));
    // A damaged chunk stops diff and compare (exit 4): nothing is compared against data that cannot be read.
    expect((await cli(['diff', backupId, backupId, '--repo', repo])).code).toBe(4);
    expect((await cli(['compare', '--source', tsd.url, '--repo', repo])).code).toBe(4);
  });
});
