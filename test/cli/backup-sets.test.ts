// Sharded backups through the CLI (fake TSD): n shard runs form one backup set, which list, show,
// verify, restore, prune and incrementals treat as one backup once its last shard is done, and never
// before.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { shardOf } from '../../src/shard/shard.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { linesOf, summaryOf } from '../support/json-output.js';

const T0 = Date.UTC(2026, 5, 1);
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (t: number) => ({ now: () => new Date(t) });
const METRICS = Array.from({ length: 12 }, (_, i) => `svc.m${i}`);

describe('backup sets (--shard i/n --set name)', () => {
  let source: FakeTsd;
  let dir: string;
  beforeAll(async () => {
    source = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(
      source.url,
      METRICS.flatMap((metric, m) =>
        Array.from({ length: 20 }, (_, i) => ({ metric, tags: { host: `h${i % 3}` }, timestamp: T0 + i * MIN, value: m % 2 ? String(i * m) : `${i}.5` })),
      ),
    );
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-sets-'));
  });
  afterAll(async () => {
    await source.close();
    await rm(dir, { recursive: true, force: true });
  });

  // Shards start a few seconds apart, within one --align step: they agree on the end without talking.
  const shard = (repo: string, i: number, n: number, set: string, extra: string[] = [], now = T0 + 2 * HOUR + 7_000 + i * 3_000) =>
    cli(['full', '--source', source.url, '--repo', repo, '--start', String(T0), '--shard', `${i}/${n}`, '--set', set, '--json', ...extra], at(now));

  it('four shards back up disjoint metrics; the last one merges the set into one backup that restores every point', async () => {
    const repo = path.join(dir, 'four');
    await initRepo(repo);
    const runs = [];
    for (const i of [2, 0, 3]) runs.push(await shard(repo, i, 4, 'nightly-1'));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(runs.map((r) => (summaryOf(r).set as { complete: boolean }).complete)).toEqual([false, false, false]);
    expect(summaryOf(runs[2]!).set).toMatchObject({ name: 'nightly-1', shard: 3, shards: 4, done: [0, 2, 3], missing: [1], complete: false });
    // each shard backed up exactly its metrics
    for (const [k, i] of [2, 0, 3].entries()) expect(summaryOf(runs[k]!).metrics).toBe(METRICS.filter((m) => shardOf(m, 4) === i).length);

    // not yet a backup: list shows it as incomplete, restore refuses it by name
    const listed = await cli(['list', '--repo', repo, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(linesOf(listed, 'backup')).toEqual([]);
    expect(linesOf(listed, 'incompleteSet')).toEqual([expect.objectContaining({ name: 'nightly-1', shards: 4, done: [0, 2, 3], missing: [1] })]);
    const text = await cli(['list', '--repo', repo]);
    expect(text.stdout).toMatch(/incomplete set 'nightly-1' .*: shard\(s\) 1 of 4 not done \(done: 0, 2, 3\); not restorable/);
    const early = await cli(['restore', 'nightly-1', '--repo', repo, '--dry-run']);
    expect(early.code).toBe(EXIT.NO_REPOSITORY);
    expect(early.stderr).toMatch(/backup set 'nightly-1' is incomplete: shard\(s\) 1 of 4 have not finished \(done: 0, 2, 3\)/);
    expect((await cli(['restore', '--repo', repo, '--dry-run'])).code).toBe(EXIT.NO_REPOSITORY); // no complete backup at all
    for (const command of ['show', 'verify']) {
      const r = await cli([command, 'nightly-1', '--repo', repo]);
      expect([command, r.code]).toEqual([command, EXIT.NO_REPOSITORY]);
      expect(r.stderr).toMatch(/shard\(s\) 1 of 4 have not finished/);
    }

    const last = await shard(repo, 1, 4, 'nightly-1');
    expect(last.code, last.stderr).toBe(0);
    const s = summaryOf(last).set as { complete: boolean; backupId: string };
    expect(s).toMatchObject({ complete: true, done: [0, 1, 2, 3], missing: [] });
    expect(await readdir(path.join(repo, 'backups'))).toEqual([s.backupId]);

    const list = await cli(['list', '--repo', repo, '--json']);
    expect(linesOf(list, 'backup')).toEqual([
      expect.objectContaining({
        backupId: s.backupId,
        backupType: 'full',
        metrics: 12,
        points: 240,
        set: { name: 'nightly-1', shards: 4 },
        end: T0 + 2 * HOUR,
      }),
    ]);
    expect(linesOf(list, 'incompleteSet')).toEqual([]);
    const show = await cli(['show', 'nightly-1', '--repo', repo, '--json']);
    expect(show.code, show.stderr).toBe(0);
    expect(summaryOf(show)).toMatchObject({ backupId: s.backupId, set: { name: 'nightly-1', shards: 4 }, points: 240 });
    expect((await cli(['verify', 'nightly-1', '--repo', repo])).code).toBe(0);

    // restore the set (by name) into an empty TSD, in two parallel shards of its own
    const target = await startFakeTsd({ autoCreateMetrics: true });
    try {
      const restores = await Promise.all(
        [0, 1].map((i) => cli(['restore', 'nightly-1', '--repo', repo, '--target', target.url, '--shard', `${i}/2`, '--json'])),
      );
      for (const r of restores) expect(r.code, r.stderr).toBe(0);
      expect(restores.map((r) => summaryOf(r).metrics)).toEqual([0, 1].map((i) => METRICS.filter((m) => shardOf(m, 2) === i).length));
      const strip = (t: FakeTsd) => t.dump().map(({ metric, tags, points }) => ({ metric, tags, points }));
      expect(strip(target)).toEqual(strip(source));
    } finally {
      await target.close();
    }

    // a retried shard of a complete set does nothing and succeeds (within the run's --align step)
    const again = await shard(repo, 2, 4, 'nightly-1', [], T0 + 2 * HOUR + 9 * MIN);
    expect(again.code, again.stderr).toBe(0);
    expect(summaryOf(again)).toMatchObject({ queries: 0, set: { complete: true, backupId: s.backupId } });
    expect(await readdir(path.join(repo, 'backups'))).toEqual([s.backupId]);
    // the name used again by a later run is refused, never taken for "already done"
    const later = await shard(repo, 2, 4, 'nightly-1', [], T0 + 5 * HOUR);
    expect(later.code).toBe(EXIT.USAGE);
    expect(later.stderr).toMatch(
      /backup set 'nightly-1' is the complete backup .* not of this run's range ending 2026-06-01T05:00:00.000Z: each run of a set needs a name of its own/,
    );
  });

  it('an incremental set chains to the newest complete backup, never to an incomplete set', async () => {
    const repo = path.join(dir, 'chain');
    await initRepo(repo);
    for (const i of [0, 1]) expect((await shard(repo, i, 2, 'base')).code).toBe(0);
    const base = summaryOf(await cli(['list', '--repo', repo, '--json'])).chains as Array<{ fullId: string }>;
    // an incremental set with one of its two shards done
    const inc = (i: number, set: string, now: number) =>
      cli(['incremental', '--source', source.url, '--repo', repo, '--shard', `${i}/2`, '--set', set, '--json'], at(now));
    const half = await inc(0, 'inc-1', T0 + 3 * HOUR + 5_000);
    expect(half.code, half.stderr).toBe(0);
    expect(summaryOf(half)).toMatchObject({ backupType: 'incremental', parentId: base[0]!.fullId, end: T0 + 3 * HOUR - 10 * MIN });
    // another incremental (unsharded) chains to the full set, not to the incomplete inc-1
    const plain = await cli(['incremental', '--source', source.url, '--repo', repo, '--json'], at(T0 + 4 * HOUR));
    expect(plain.code, plain.stderr).toBe(0);
    expect(summaryOf(plain).parentId).toBe(base[0]!.fullId);
    // inc-1's second shard, run later, still joins inc-1 on its terms (parent and window)
    const rest = await inc(1, 'inc-1', T0 + 6 * HOUR);
    expect(rest.code, rest.stderr).toBe(0);
    expect(summaryOf(rest)).toMatchObject({ parentId: base[0]!.fullId, end: T0 + 3 * HOUR - 10 * MIN, set: { complete: true } });
  });

  it('incremental --full-if-missing shards in an empty repository form a full set, also when they run one after another', async () => {
    const repo = path.join(dir, 'first-run');
    await initRepo(repo);
    const inc = (i: number, now: number, extra: string[] = ['--full-if-missing']) =>
      cli(['incremental', '--source', source.url, '--repo', repo, '--shard', `${i}/2`, '--set', 'cron-1', '--json', ...extra], at(now));
    const first = await inc(0, T0 + 2 * HOUR + 3_000);
    expect(first.code, first.stderr).toBe(0);
    expect(summaryOf(first)).toMatchObject({ backupType: 'full', end: T0 + 2 * HOUR });
    // without --full-if-missing, joining a full set is refused as a usage error
    const plain = await inc(1, T0 + 2 * HOUR + 9 * MIN, []);
    expect(plain.code).toBe(EXIT.USAGE);
    expect(plain.stderr).toMatch(/backup set 'cron-1' is a full backup/);
    const second = await inc(1, T0 + 2 * HOUR + 9 * MIN);
    expect(second.code, second.stderr).toBe(0);
    expect(summaryOf(second)).toMatchObject({ backupType: 'full', end: T0 + 2 * HOUR, set: { complete: true } });
  });

  it("a shard that disagrees with its set fails, and its rerun adopts the set's terms", async () => {
    const repo = path.join(dir, 'odd');
    await initRepo(repo);
    expect((await shard(repo, 0, 3, 'odd')).code).toBe(0);
    expect((await shard(repo, 1, 3, 'odd')).code).toBe(0);
    // shard 2 ran long before, by hand, with another end: written concurrently, it did not see the others
    const rogue = await cli(
      ['full', '--source', source.url, '--repo', repo, '--start', String(T0), '--end', String(T0 + HOUR), '--shard', '2/3', '--set', 'odd-x', '--json'],
      at(T0 + 2 * HOUR),
    );
    expect(rogue.code).toBe(0);
    // simulate the race: its record lands in set 'odd' with its own terms
    const { readFile, writeFile } = await import('node:fs/promises');
    const rec = JSON.parse(await readFile(path.join(repo, 'sets', 'odd-x', 'shard-2-of-3.json'), 'utf8'));
    rec.set.name = 'odd';
    await writeFile(path.join(repo, 'sets', 'odd', 'shard-2-of-3.json'), JSON.stringify(rec));
    await rm(path.join(repo, 'sets', 'odd-x'), { recursive: true });
    const listed = await cli(['list', '--repo', repo, '--json']);
    expect(linesOf(listed, 'incompleteSet')[0]).toMatchObject({
      name: 'odd',
      missing: [],
      problem: expect.stringMatching(/shard\(s\) 2\/3 .* disagree with the others/),
    });
    const refused = await cli(['restore', 'odd', '--repo', repo, '--dry-run']);
    expect(refused.code).toBe(EXIT.NO_REPOSITORY);
    expect(refused.stderr).toMatch(/backup set 'odd' is not consistent/);
    // the rerun of shard 2 adopts the others' end and completes the set
    const rerun = await shard(repo, 2, 3, 'odd', [], T0 + 9 * HOUR);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(summaryOf(rerun)).toMatchObject({ end: T0 + 2 * HOUR, set: { complete: true } });
    expect((await cli(['restore', 'odd', '--repo', repo, '--dry-run'])).code).toBe(0);
  });

  it('prune keeps an incomplete set whole and removes the records of a merged one', async () => {
    const repo = path.join(dir, 'prune');
    await initRepo(repo);
    for (const i of [0, 1]) expect((await shard(repo, i, 2, 'done')).code).toBe(0);
    expect((await shard(repo, 0, 2, 'pending', [], T0 + 3 * HOUR)).code).toBe(0);
    const before = await readdir(path.join(repo, 'sets'));
    expect(before.sort()).toEqual(['done', 'pending']);
    const p = await cli(['prune', '--repo', repo, '--keep-last', '1', '--json']);
    expect(p.code, p.stderr).toBe(0);
    expect(summaryOf(p)).toMatchObject({ incompleteSets: ['pending'], removedShardRecords: 2, removedBackupIds: [] });
    expect(await readdir(path.join(repo, 'sets', 'done'))).toEqual([]);
    expect(await readdir(path.join(repo, 'sets', 'pending'))).toEqual(['shard-0-of-2.json']);
    // the pending set's chunks survived: its last shard completes it, and it verifies
    const last = await shard(repo, 1, 2, 'pending', [], T0 + 3 * HOUR + 20_000);
    expect(summaryOf(last).set).toMatchObject({ complete: true });
    expect((await cli(['verify', 'pending', '--repo', repo])).code).toBe(0);
  });

  it('rounds a relative --start and --end down to --align, so shards started apart cover one range', async () => {
    const repo = path.join(dir, 'relative');
    await initRepo(repo);
    const DAY = 24 * HOUR;
    // at once: neither sees the other's record, so each computes the range itself
    const runs = await Promise.all(
      (
        [
          [0, T0 + DAY + 61_000],
          [1, T0 + DAY + 4 * MIN + 59_000],
        ] as const
      ).map(([i, now]) =>
        cli(
          [
            'full',
            '--source',
            source.url,
            '--repo',
            repo,
            '--start',
            '2d-ago',
            '--end',
            '1m-ago',
            '--shard',
            `${i}/2`,
            '--set',
            'rel',
            '--align',
            '5m',
            '--json',
          ],
          at(now),
        ),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(runs.map((r) => [summaryOf(r).start, summaryOf(r).end])).toEqual([
      [T0 - DAY, T0 + DAY],
      [T0 - DAY, T0 + DAY],
    ]);
    expect(runs.some((r) => (summaryOf(r).set as { complete: boolean }).complete)).toBe(true);
  });

  it.each([
    [['--shard', '0/4'], /--shard and --set go together/],
    [['--set', 'x'], /--shard and --set go together/],
    [['--shard', '4/4', '--set', 'x'], /0-based, 0 to 3/],
    [['--shard', '0/4', '--set', '../x'], /--set: '..\/x' is not a set name/],
  ])('refuses %j as a usage error (exit 2) before touching the repository', async (args, message) => {
    const r = await cli(['full', '--source', source.url, '--repo', path.join(dir, 'none'), ...args]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(message);
  });
});
