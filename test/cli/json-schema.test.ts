// docs/JSON.md, schema version 1, checked on every command's --json output (fake TSDs): JSON Lines
// only, a type on every object, the command's summary last, the documented names (backupId, never id).
// And --quiet: nothing at all on success.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/repository/lock.js';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { jsonSchemaProblems, linesOf, summaryOf } from '../support/json-output.js';
import { putPoints } from '../support/put-points.js';
import { cli, type CliRun } from '../support/run-cli-in-process.js';

const T0 = Date.UTC(2026, 10, 1);
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (t: number) => ({ now: () => new Date(t) });

function expectSchema(r: CliRun, command: string): void {
  expect(jsonSchemaProblems(r.stdout, command), `${command}: ${r.stdout}${r.stderr}`).toEqual([]);
}

describe('the schema check', () => {
  it('catches pretty printing, a missing type, retired names, wrong formats and a missing summary', () => {
    expect(jsonSchemaProblems('{\n  "type": "summary"\n}\n', 'list')).toContain('line 1 is not JSON: {');
    expect(jsonSchemaProblems('{"backupId":"x"}\n{"type":"summary","command":"list","schemaVersion":1}\n', 'list')).toEqual(['line 1 has no type']);
    expect(jsonSchemaProblems('{"type":"summary","command":"full","schemaVersion":1,"id":"x","finishedAt":1700000000,"start":"2026-01-01"}\n', 'full')).toEqual(
      [
        'line 1.id: a retired name',
        'line 1.finishedAt: not an ISO 8601 UTC instant with milliseconds: 1700000000',
        'line 1.start: not epoch milliseconds: "2026-01-01"',
      ],
    );
    expect(jsonSchemaProblems('{"type":"backup","backupId":"x"}\n', 'list')).toEqual(['the last object is a backup, not a summary or an error']);
    expect(jsonSchemaProblems('{"type":"summary","command":"list"}\n', 'list')).toEqual(['the summary has no schemaVersion 1']);
  });
});

describe('--json follows docs/JSON.md in every command (fake TSD)', () => {
  let source: FakeTsd;
  let target: FakeTsd;
  let dir: string;
  beforeAll(async () => {
    [source, target] = await Promise.all([startFakeTsd({ autoCreateMetrics: true }), startFakeTsd({ autoCreateMetrics: true })]);
    await putPoints(
      source.url,
      Array.from({ length: 40 }, (_, i) => ({ metric: `js.m${i % 4}`, tags: { host: 'a' }, timestamp: T0 + i * MIN, value: String(i) })),
    );
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-json-'));
  });
  afterAll(async () => {
    await Promise.all([source.close(), target.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('the repository commands: init, full, incremental, list, verify, restore, prune, unlock', async () => {
    const repo = path.join(dir, 'plain');
    const init = await cli(['init', '--repo', repo, '--insecure-no-encryption', '--json']);
    expectSchema(init, 'init');
    expect(summaryOf(init)).toMatchObject({ repository: expect.any(String), repositoryId: expect.any(String), encrypted: false });

    const full = await cli(['full', '--source', source.url, '--repo', repo, '--start', String(T0), '--end', String(T0 + HOUR), '--json'], at(T0 + HOUR + MIN));
    expectSchema(full, 'full');
    const f = summaryOf(full);
    expect(f).toMatchObject({ backupType: 'full', parentId: null, start: T0, end: T0 + HOUR, metrics: 4, points: 40, durationMs: expect.any(Number) });
    expect(Date.parse(String(f.finishedAt))).toBe(T0 + HOUR + MIN);
    const incr = await cli(['incremental', '--source', source.url, '--repo', repo, '--json'], at(T0 + 2 * HOUR));
    expectSchema(incr, 'incremental');
    expect(summaryOf(incr)).toMatchObject({ backupType: 'incremental', parentId: f.backupId });

    const list = await cli(['list', '--repo', repo, '--json']);
    expectSchema(list, 'list');
    expect(linesOf(list, 'backup').map((b) => [b.backupId, b.backupType, b.parentId])).toEqual([
      [f.backupId, 'full', null],
      [summaryOf(incr).backupId, 'incremental', f.backupId],
    ]);
    expect(summaryOf(list)).toMatchObject({
      backups: 2,
      chains: [{ fullId: f.backupId, backupIds: [f.backupId, summaryOf(incr).backupId] }],
      orphanIds: [],
      unreadable: [],
    });

    const verify = await cli(['verify', '--repo', repo, '--all', '--json']);
    expectSchema(verify, 'verify');
    expect(summaryOf(verify)).toMatchObject({ ok: true, problems: 0, points: expect.any(Number) });
    const dry = await cli(['restore', '--repo', repo, '--dry-run', '--json']);
    expectSchema(dry, 'restore');
    const restore = await cli(['restore', '--repo', repo, '--target', target.url, '--json']);
    expectSchema(restore, 'restore');
    expect(summaryOf(restore)).toMatchObject({ backupId: summaryOf(incr).backupId, chainIds: [f.backupId, summaryOf(incr).backupId], failed: 0 });
    const prune = await cli(['prune', '--repo', repo, '--keep-last', '1', '--dry-run', '--json']);
    expectSchema(prune, 'prune');
    expect(linesOf(prune, 'decision')).toHaveLength(2);

    await acquireLock(new LocalStorage(repo), { kind: 'exclusive', command: 'incremental', host: 'crashed-host', pid: 4242 });
    const dryUnlock = await cli(['unlock', '--repo', repo, '--remove-all', '--dry-run', '--json']);
    expectSchema(dryUnlock, 'unlock');
    expect(linesOf(dryUnlock, 'lock')).toEqual([expect.objectContaining({ action: 'wouldRemove', host: 'crashed-host', pid: 4242 })]);
    expect(dryUnlock.stdout).not.toContain('"removed":true');
    expect(summaryOf(dryUnlock)).toMatchObject({ dryRun: true, locks: 1, removed: 0, wouldRemove: 1 });

    const missing = await cli(['list', '--repo', path.join(dir, 'nowhere'), '--json']);
    expect(missing.code).toBe(10);
    expectSchema(missing, 'list');
  });

  it('key list, add, remove, passwd', async () => {
    const repo = path.join(dir, 'sealed');
    const env = { TSDB_BACKUP_PASSWORD: 'first password of the test' };
    await initRepo(repo, { password: env.TSDB_BACKUP_PASSWORD });
    const second = path.join(dir, 'second');
    await writeFile(second, 'second password of the test\n', { mode: 0o600 });
    const add = await cli(['key', 'add', '--repo', repo, '--new-password-file', second, '--json'], { env });
    expectSchema(add, 'key add');
    const list = await cli(['key', 'list', '--repo', repo, '--json'], { env });
    expectSchema(list, 'key list');
    expect(linesOf(list, 'key')).toHaveLength(2);
    const remove = await cli(['key', 'remove', String(summaryOf(add).keyId), '--repo', repo, '--json'], { env });
    expectSchema(remove, 'key remove');
    const passwd = await cli(['key', 'passwd', '--repo', repo, '--new-password-file', second, '--json'], { env });
    expectSchema(passwd, 'key passwd');
    expect(summaryOf(passwd)).toMatchObject({ addedKeyId: expect.any(String), removedKeyId: expect.any(String) });
  });

  it('health, replicate, failover, failback, schedule --print', async () => {
    const health = await cli(['health', '--tsd', source.url, '--read-only', '--json']);
    expectSchema(health, 'health');
    const state = path.join(dir, 'state.json');
    const rep = await cli([
      'replicate',
      '--source',
      source.url,
      '--target',
      target.url,
      '--state',
      state,
      '--metric',
      'js.*',
      '--start',
      String(T0),
      '--settle',
      '0s',
      '--once',
      '--json',
    ]);
    expect(rep.code, rep.stderr).toBe(0);
    expectSchema(rep, 'replicate');
    expect(linesOf(rep, 'cycle')).toEqual([expect.objectContaining({ end: expect.any(Number), reportedAt: expect.any(String) })]);
    const fo = await cli(['failover', '--from', source.url, '--to', target.url, '--state', state, '--settle', '0s', '--json']);
    expect(fo.code, fo.stderr).toBe(0);
    expectSchema(fo, 'failover');
    const fb = await cli(['failback', '--from', target.url, '--to', source.url, '--state', state, '--settle', '0s', '--json']);
    expect(fb.code, fb.stderr).toBe(0);
    expectSchema(fb, 'failback');

    const config = path.join(dir, 'schedule.json');
    await writeFile(
      config,
      JSON.stringify({
        source: source.url,
        repo: path.join(dir, 'plain'),
        timezone: 'UTC',
        full: { cron: '0 1 * * 0' },
        incremental: { cron: '*/15 * * * *' },
      }),
    );
    const print = await cli(['schedule', '--config', config, '--print', '3', '--json'], at(T0));
    expectSchema(print, 'schedule');
    expect(linesOf(print, 'run')).toEqual([
      { type: 'run', job: 'incremental', runAt: '2026-11-01T00:15:00.000Z' },
      { type: 'run', job: 'incremental', runAt: '2026-11-01T00:30:00.000Z' },
      { type: 'run', job: 'incremental', runAt: '2026-11-01T00:45:00.000Z' },
    ]);
  });

  it('--quiet prints nothing on success: full, incremental, verify, restore, prune, unlock', async () => {
    const repo = path.join(dir, 'quiet');
    await initRepo(repo);
    const runs: Array<[string, CliRun]> = [];
    runs.push([
      'full',
      await cli(['full', '--source', source.url, '--repo', repo, '--start', String(T0), '--end', String(T0 + HOUR), '--quiet'], at(T0 + HOUR + MIN)),
    ]);
    runs.push(['incremental', await cli(['incremental', '--source', source.url, '--repo', repo, '--quiet'], at(T0 + 2 * HOUR))]);
    runs.push(['verify', await cli(['verify', '--repo', repo, '--all', '--quiet'])]);
    runs.push(['restore', await cli(['restore', '--repo', repo, '--target', target.url, '--quiet'])]);
    runs.push(['prune', await cli(['prune', '--repo', repo, '--keep-last', '5', '--quiet'])]);
    runs.push(['unlock', await cli(['unlock', '--repo', repo, '--quiet'])]);
    for (const [name, r] of runs) expect({ name, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ name, code: 0, stdout: '', stderr: '' });
    // errors still go to stderr
    const failed = await cli(['verify', '--repo', path.join(dir, 'nowhere'), '--quiet']);
    expect(failed.code).toBe(10);
    expect(failed.stderr).toMatch(/no tsdb-backup repository/);
  });
});
