// Operator workflows on a repository that once ended in exit 0 while something could not be restored,
// or that guessed: a broken chain, a selection that matches nothing, several sources in one
// repository, a mistyped --repo.

import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { linesOf, summaryOf } from '../support/json-output.js';

const T0 = Date.UTC(2026, 5, 1);
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (t: number) => ({ now: () => new Date(t) });

describe('chain workflows through the CLI (fake TSD)', () => {
  let a: FakeTsd;
  let b: FakeTsd;
  let target: FakeTsd;
  let dir: string;
  beforeAll(async () => {
    [a, b, target] = await Promise.all([startFakeTsd({ autoCreateMetrics: true }), startFakeTsd({ autoCreateMetrics: true }), startFakeTsd()]);
    const points = (metric: string) => Array.from({ length: 30 }, (_, i) => ({ metric, tags: { host: 'h' }, timestamp: T0 + i * MIN, value: String(i) }));
    await putPoints(a.url, [...points('sys.cpu.user'), ...points('sys.mem.free')]);
    await putPoints(b.url, points('app.requests'));
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-workflows-'));
  });
  afterAll(async () => {
    await Promise.all([a, b, target].map((f) => f.close()));
    await rm(dir, { recursive: true, force: true });
  });

  const full = (repo: string, url: string, extra: string[] = [], now = T0 + HOUR) =>
    cli(['full', '--source', url, '--repo', repo, '--start', String(T0), '--end', String(T0 + HOUR), '--json', ...extra], at(now));
  const idOf = (r: { json: Array<Record<string, unknown>> }) => String(r.json.find((j) => j.type === 'summary')?.backupId);

  it("verify and list fail when a backup's parent manifest is gone", async () => {
    const repo = path.join(dir, 'broken');
    await initRepo(repo);
    const f = await full(repo, a.url);
    expect(f.code, f.stderr).toBe(0);
    const i = await cli(['incremental', '--source', a.url, '--repo', repo, '--json'], at(T0 + 2 * HOUR));
    expect(i.code, i.stderr).toBe(0);
    expect((await cli(['verify', '--repo', repo])).code).toBe(0);
    await rm(path.join(repo, 'backups', idOf(f)), { recursive: true });

    const v = await cli(['verify', '--repo', repo]);
    expect(v.code).toBe(EXIT.DAMAGED);
    expect(v.stderr).toContain(`${idOf(i)} extends ${idOf(f)}, which is missing`);
    const all = await cli(['verify', '--repo', repo, '--all', '--json']);
    expect(all.code).toBe(EXIT.DAMAGED);
    expect(summaryOf(all)).toMatchObject({ command: 'verify', ok: false, problems: 1 });
    expect(linesOf(all, 'problem')).toEqual([expect.objectContaining({ backupId: idOf(i), where: 'chain' })]);
    const named = await cli(['verify', idOf(i), '--repo', repo]);
    expect(named.code).toBe(EXIT.DAMAGED);

    const l = await cli(['list', '--repo', repo]);
    expect(l.code).toBe(EXIT.DAMAGED);
    expect(l.stdout).toContain('incr(broken)');
    expect(l.stderr).toContain('cannot be restored');
    expect((await cli(['restore', '--repo', repo, '--dry-run'])).code).toBe(EXIT.DAMAGED);
  });

  it("verify checks the parent's chunks too: a damaged full fails verify of its incremental", async () => {
    const repo = path.join(dir, 'damaged-parent');
    await initRepo(repo);
    expect((await full(repo, a.url)).code).toBe(0);
    const i = await cli(['incremental', '--source', a.url, '--repo', repo, '--json'], at(T0 + 2 * HOUR));
    expect(i.code, i.stderr).toBe(0);
    // The incremental itself holds no point (nothing new arrived): only its parent has chunks.
    for (const d of await readdir(path.join(repo, 'data'))) await rm(path.join(repo, 'data', d), { recursive: true });
    const v = await cli(['verify', idOf(i), '--repo', repo, '--json']);
    expect(v.code).toBe(EXIT.DAMAGED);
    expect(summaryOf(v).backupIds).toHaveLength(2);
  });

  it('a full backup whose --metric matches nothing fails with exit 5 and writes no backup', async () => {
    const repo = path.join(dir, 'typo');
    await initRepo(repo);
    const good = await full(repo, a.url);
    expect(good.code).toBe(0);
    const typo = await full(repo, a.url, ['--metric', 'sys.cpu.usr*']);
    expect(typo.code).toBe(EXIT.NOTHING_SELECTED);
    expect(typo.stderr).toContain('no metric of');
    expect(typo.stderr).toContain("'sys.cpu.usr*'");
    const listed = await cli(['list', '--repo', repo, '--json']);
    expect(linesOf(listed, 'backup')).toHaveLength(1);
    // Two such runs can no longer let prune remove the only good backup.
    await full(repo, a.url, ['--metric', 'sys.cpu.usr*']);
    const p = await cli(['prune', '--repo', repo, '--keep-last', '2', '--json']);
    expect(p.code).toBe(0);
    expect(summaryOf(p).removedBackupIds).toEqual([]);

    const allowed = await full(repo, a.url, ['--metric', 'sys.cpu.usr*', '--allow-empty']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.json.find((j) => j.type === 'summary')).toMatchObject({ metrics: 0, points: 0 });
  });

  it('a restore that selects nothing fails with exit 5 instead of writing 0 of 0 points', async () => {
    const repo = path.join(dir, 'restore-nothing');
    await initRepo(repo);
    expect((await full(repo, a.url)).code).toBe(0);
    const r = await cli(['restore', '--repo', repo, '--target', target.url, '--metric', 'no.such.*']);
    expect(r.code).toBe(EXIT.NOTHING_SELECTED);
    expect(r.stderr).toContain("--metric 'no.such.*'");
    const late = await cli(['restore', '--repo', repo, '--dry-run', '--start', String(T0 + 2 * HOUR)]);
    expect(late.code).toBe(EXIT.NOTHING_SELECTED);
    expect((await cli(['restore', '--repo', repo, '--dry-run', '--metric', 'no.such.*', '--allow-empty'])).code).toBe(0);
  });

  it('a repository shared by two sources: list shows each, prune keeps per source, restore and verify refuse to guess', async () => {
    const repo = path.join(dir, 'shared');
    await initRepo(repo);
    const fa1 = await full(repo, a.url, [], T0 + HOUR);
    const fa2 = await full(repo, a.url, [], T0 + 2 * HOUR);
    const fb = await full(repo, b.url, ['--name', 'cluster-b'], T0 + 90 * MIN);
    for (const r of [fa1, fa2, fb]) expect(r.code, r.stderr).toBe(0);

    const l = await cli(['list', '--repo', repo]);
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(/SOURCE/);
    expect(l.stdout).toContain('cluster-b');
    expect(l.stdout).toContain(a.url);

    const r = await cli(['restore', '--repo', repo, '--dry-run']);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain('holds backups of 2 sources');
    expect(r.stderr).toContain('cluster-b');
    expect((await cli(['verify', '--repo', repo])).code).toBe(EXIT.USAGE);
    const rb = await cli(['restore', '--repo', repo, '--dry-run', '--source', 'cluster-b', '--json']);
    expect(rb.code, rb.stderr).toBe(0);
    expect(rb.json.find((j) => j.type === 'summary')).toMatchObject({ backupId: idOf(fb) });
    const ra = await cli(['restore', '--repo', repo, '--dry-run', '--source', a.url.replace('127.0.0.1', 'localhost'), '--json']);
    expect(ra.code, ra.stderr).toBe(0);
    expect(ra.json.find((j) => j.type === 'summary')).toMatchObject({ backupId: idOf(fa2) });
    expect((await cli(['verify', '--repo', repo, '--source', 'cluster-b'])).code).toBe(0);

    // --keep-last 1 keeps the newest backup of each source, not the newest of the repository.
    const p = await cli(['prune', '--repo', repo, '--keep-last', '1', '--json']);
    expect(p.code, p.stderr).toBe(0);
    expect(summaryOf(p).removedBackupIds).toEqual([idOf(fa1)]);
    const left = await cli(['list', '--repo', repo, '--json']);
    expect(
      linesOf<{ backupId: string }>(left, 'backup')
        .map((x) => x.backupId)
        .sort(),
    ).toEqual([idOf(fa2), idOf(fb)].sort());
  });

  it('a restore without an id refuses to fall back to an older backup when a newer manifest is unreadable', async () => {
    const repo = path.join(dir, 'newest-unreadable');
    await initRepo(repo);
    const older = await full(repo, a.url, [], T0 + HOUR);
    const newer = await full(repo, a.url, [], T0 + 2 * HOUR);
    expect(older.code).toBe(0);
    expect(newer.code).toBe(0);
    await writeFile(path.join(repo, 'backups', idOf(newer), 'manifest.json'), '{"format":');
    const r = await cli(['restore', '--repo', repo, '--dry-run']);
    expect(r.code).toBe(EXIT.DAMAGED);
    expect(r.stderr).toContain(idOf(newer));
    expect(r.stderr).toContain(`restore ${idOf(older)}`);
    // Named, or by a time before the damaged one, the readable backup restores.
    expect((await cli(['restore', idOf(older), '--repo', repo, '--dry-run'])).code).toBe(0);
    expect((await cli(['restore', '--repo', repo, '--dry-run', '--at', new Date(T0 + HOUR + 30_000).toISOString()])).code).toBe(0);
  });

  it('a mistyped --repo creates nothing: full, incremental (even with --full-if-missing), prune, restore and verify exit 10', async () => {
    const missing = path.join(dir, 'no-such-repo');
    const runs = [
      // No backup creates a repository (`tsdb-backup init` does), not even a full one.
      full(missing, a.url),
      cli(['incremental', '--source', a.url, '--repo', missing, '--full-if-missing']),
      cli(['incremental', '--source', a.url, '--repo', missing]),
      cli(['prune', '--repo', missing, '--keep-last', '1']),
      cli(['restore', '--repo', missing, '--target', target.url]),
      cli(['restore', '--repo', missing, '--dry-run']),
      cli(['verify', '--repo', missing]),
    ];
    for (const r of await Promise.all(runs)) {
      expect(r.code, r.stderr).toBe(EXIT.NO_REPOSITORY);
      expect(r.stderr).toContain('no tsdb-backup repository');
      expect(r.stderr).toContain('create a repository with `tsdb-backup init --repo ...`');
    }
    expect(existsSync(missing)).toBe(false);
  });
});
