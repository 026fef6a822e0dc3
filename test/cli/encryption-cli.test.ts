// The password sources and the init/key commands as an operator meets them: files, commands, the
// environment, what happens without a terminal, and that no password is ever echoed.

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { cli, type CliRun } from '../support/run-cli-in-process.js';
import { linesOf, summaryOf } from '../support/json-output.js';

const SECRET = 'pa55-w0rd-that-must-not-leak';

function expectNoSecret(r: CliRun): void {
  expect(r.stdout).not.toContain(SECRET);
  expect(r.stderr).not.toContain(SECRET);
}

describe('encryption from the command line', () => {
  let dir: string;
  let tsd: FakeTsd;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-enc-cli-'));
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    await writeFile(path.join(dir, 'password'), `${SECRET}\n`, { mode: 0o600 });
    await writeFile(path.join(dir, 'empty'), '\n', { mode: 0o600 });
  });
  afterAll(async () => {
    await tsd?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('init without any password and without a terminal refuses (exit 13) and creates nothing', async () => {
    const repo = path.join(dir, 'no-password');
    const r = await cli(['init', '--repo', repo]);
    expect(r.code, r.stderr).toBe(13);
    expect(r.stderr).toContain('no password of the new repository was given and there is no terminal to ask on');
    expect(r.stderr).toContain('--insecure-no-encryption');
    await expect(readdir(repo)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('init from a password file says how to keep the password; every password source opens the repository', async () => {
    const repo = path.join(dir, 'sources');
    const init = await cli(['init', '--repo', repo, '--password-file', path.join(dir, 'password'), '--json']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.json).toHaveLength(1);
    expect(init.json[0]).toMatchObject({
      type: 'summary',
      command: 'init',
      schemaVersion: 1,
      encrypted: true,
      cipher: 'aes-256-gcm',
      keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(init.stderr).toContain('Keep the password safe');
    expectNoSecret(init);
    const sources: Array<[string[], Record<string, string>]> = [
      [['--password-file', 'password'], {}],
      [['--password-command', `printf '%s\\n' '${SECRET}'`], {}],
      [[], { TSDB_BACKUP_PASSWORD: SECRET }],
      [[], { TSDB_BACKUP_PASSWORD_FILE: path.join(dir, 'password') }],
      [[], { TSDB_BACKUP_PASSWORD_COMMAND: `cat ${path.join(dir, 'password')}` }],
      // Flags beat the environment.
      [['--password-file', 'password'], { TSDB_BACKUP_PASSWORD: 'wrong' }],
    ];
    for (const [args, env] of sources) {
      const r = await cli(['list', '--repo', repo, ...args], { env, cwd: dir });
      expect(r.code, `${args.join(' ')} ${JSON.stringify(env)}: ${r.stderr}`).toBe(0);
    }
  });

  it('refuses bad password sources with a message naming them, never the password', async () => {
    const repo = path.join(dir, 'bad-sources');
    expect((await cli(['init', '--repo', repo], { env: { TSDB_BACKUP_PASSWORD: SECRET } })).code).toBe(0);
    const cases: Array<[string[], Record<string, string>, number, string]> = [
      [['--password-file', path.join(dir, 'missing')], {}, 2, `--password-file ${path.join(dir, 'missing')}: cannot read it (ENOENT)`],
      [['--password-file', path.join(dir, 'empty')], {}, 2, 'the file is empty'],
      [['--password-command', 'echo vault is sealed >&2; exit 3'], {}, 13, 'the password command (--password-command) failed (exit 3): vault is sealed'],
      [['--password-command', 'true'], {}, 13, 'printed nothing'],
      [['--password-file', 'a', '--password-command', 'b'], {}, 2, 'give either --password-file or --password-command, not both'],
      [[], {}, 13, 'is encrypted and no password was given'],
      [[], { TSDB_BACKUP_PASSWORD: `${SECRET}x` }, 14, 'the password opens none of the 1 key'],
    ];
    for (const [args, env, code, message] of cases) {
      const r = await cli(['list', '--repo', repo, ...args, '--json'], { env });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr).toContain(message);
      expectNoSecret(r);
    }
  });

  it('backups into a location without a repository fail with exit 10 and tell the operator to run init', async () => {
    const repo = path.join(dir, 'never-initialized');
    for (const args of [
      ['full', '--start', '2026-01-01', '--end', '2026-01-02'],
      ['incremental', '--full-if-missing'],
    ]) {
      const r = await cli([...args, '--source', tsd.url, '--repo', repo]);
      expect(r.code, r.stderr).toBe(10);
      expect(r.stderr).toContain(`no tsdb-backup repository at ${repo}`);
      expect(r.stderr).toContain('tsdb-backup init --repo');
    }
    await expect(readdir(repo)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('at a terminal: init asks twice (and refuses two different passwords), other commands ask once; unlock asks nothing', async () => {
    const repo = path.join(dir, 'typed');
    const differ = await cli(['init', '--repo', repo], { typed: [SECRET, `${SECRET}!`] });
    expect(differ.code, differ.stderr).toBe(2);
    expect(differ.stderr).toContain('the two passwords typed differ (password of the new repository)');
    expect((await cli(['init', '--repo', repo], { typed: [SECRET, SECRET] })).code).toBe(0);
    expect((await cli(['list', '--repo', repo], { typed: [SECRET] })).code).toBe(0);
    expect((await cli(['list', '--repo', repo], { typed: ['nope'] })).code).toBe(14);
    const unlock = await cli(['unlock', '--repo', repo]);
    expect(unlock.code, unlock.stderr).toBe(0);
  });

  it('a downgraded repository (config.json made plain, keys removed): a backup with the password refuses (exit 2) and writes nothing; list says damaged', async () => {
    const repo = path.join(dir, 'downgraded');
    const env = { TSDB_BACKUP_PASSWORD: SECRET };
    expect((await cli(['init', '--repo', repo], { env })).code).toBe(0);
    expect(
      (await cli(['full', '--source', tsd.url, '--repo', repo, '--start', '2026-01-01', '--end', '2026-01-02', '--quiet', '--allow-empty'], { env })).code,
    ).toBe(0);
    const config = JSON.parse(await readFile(path.join(repo, 'config.json'), 'utf8'));
    await writeFile(path.join(repo, 'config.json'), JSON.stringify({ format: config.format, version: 1, id: config.id, createdAt: config.createdAt }));
    await rm(path.join(repo, 'keys'), { recursive: true });
    const before = (await readdir(repo, { recursive: true })).sort();
    for (const args of [
      ['full', '--start', '2026-01-01', '--end', '2026-01-02', '--allow-empty'],
      ['incremental', '--full-if-missing'],
    ]) {
      const r = await cli([...args, '--source', tsd.url, '--repo', repo], { env });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('is not encrypted, but a repository password was given');
    }
    expect((await readdir(repo, { recursive: true })).sort()).toEqual(before);
    const list = await cli(['list', '--repo', repo]);
    expect(list.code, list.stderr).toBe(4);
    expect(list.stderr).toContain('is encrypted, but config.json says the repository is not');
    const plainInit = await cli(['init', '--repo', path.join(dir, 'contradiction'), '--insecure-no-encryption'], { env });
    expect(plainInit.code).toBe(2);
  });

  it('a tampered manifest: incremental (with --full-if-missing too) and prune refuse with exit 15 instead of chaining elsewhere; restoring its child names it, exit 15', async () => {
    const repo = path.join(dir, 'tampered-chain');
    const env = { TSDB_BACKUP_PASSWORD: SECRET };
    const T = Date.UTC(2026, 0, 1);
    await putPoints(
      tsd.url,
      [0, 1, 2, 3].map((h) => ({ metric: 'tamper.m', tags: { h: 'x' }, timestamp: T + h * 3_600_000, value: String(h) })),
    );
    expect((await cli(['init', '--repo', repo], { env })).code).toBe(0);
    const full = await cli(['full', '--source', tsd.url, '--repo', repo, '--start', String(T), '--end', String(T + 2 * 3_600_000), '--json'], {
      env,
      now: () => new Date(T + 2 * 3_600_000),
    });
    expect(full.code, full.stderr).toBe(0);
    const incr = await cli(['incremental', '--source', tsd.url, '--repo', repo, '--json'], { env, now: () => new Date(T + 4 * 3_600_000) });
    expect(incr.code, incr.stderr).toBe(0);
    const fullId = summaryOf(full).backupId as string;
    const manifestFile = path.join(repo, 'backups', fullId, 'manifest.json');
    const bytes = await readFile(manifestFile);
    bytes[30] = bytes[30]! ^ 1;
    await writeFile(manifestFile, bytes);
    for (const args of [['incremental'], ['incremental', '--full-if-missing']]) {
      const r = await cli([...args, '--source', tsd.url, '--repo', repo], { env, now: () => new Date(T + 5 * 3_600_000) });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(15);
      expect(r.stderr).toContain(fullId);
    }
    const prune = await cli(['prune', '--repo', repo, '--keep-last', '1'], { env });
    expect(prune.code, prune.stderr).toBe(15);
    const restore = await cli(['restore', '--repo', repo, '--target', tsd.url, '--dry-run'], { env });
    expect(restore.code, restore.stderr).toBe(15);
    expect(restore.stderr).toContain(fullId);
  });

  it('two inits at once: at most one creates the repository, the other fails (exit 1 or 11), and a created one has one key, which opens it', async () => {
    for (let round = 0; round < 4; round++) {
      const repo = path.join(dir, `race-${round}`);
      const runs = await Promise.all(['first', 'second'].map((p) => cli(['init', '--repo', repo], { env: { TSDB_BACKUP_PASSWORD: `${p} password` } })));
      const winners = runs.flatMap((r, i) => (r.code === 0 ? [i === 0 ? 'first' : 'second'] : []));
      expect(winners.length, runs.map((r) => r.stderr).join('\n')).toBeLessThanOrEqual(1);
      for (const r of runs) if (r.code !== 0) expect([1, 11]).toContain(r.code);
      const keys = await readdir(path.join(repo, 'keys')).catch(() => [] as string[]);
      if (winners.length === 0) {
        // Both saw the other's lock and gave up (the lock protocol lets neither proceed): nothing was made.
        expect(keys).toEqual([]);
        await expect(readFile(path.join(repo, 'config.json'))).rejects.toMatchObject({ code: 'ENOENT' });
        continue;
      }
      expect(keys).toHaveLength(1);
      expect((await cli(['list', '--repo', repo], { env: { TSDB_BACKUP_PASSWORD: `${winners[0]} password` } })).code).toBe(0);
    }
  });

  it('an unencrypted repository says so at init and needs no password afterwards', async () => {
    const repo = path.join(dir, 'plain');
    const init = await cli(['init', '--repo', repo, '--insecure-no-encryption']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toContain('created UNENCRYPTED repository');
    expect((await cli(['list', '--repo', repo])).code).toBe(0);
    const keys = await cli(['key', 'list', '--repo', repo]);
    expect(keys.code).toBe(2);
    expect(keys.stderr).toContain('is not encrypted');
  });

  it('key add without a new password and without a terminal refuses; with --cipher chacha20-poly1305 everything works the same', async () => {
    const repo = path.join(dir, 'chacha');
    const env = { TSDB_BACKUP_PASSWORD: SECRET };
    expect((await cli(['init', '--repo', repo, '--cipher', 'chacha20-poly1305'], { env })).code).toBe(0);
    const add = await cli(['key', 'add', '--repo', repo], { env });
    expect(add.code, add.stderr).toBe(13);
    expect(add.stderr).toContain('no new password was given');
    const added = await cli(['key', 'add', '--repo', repo, '--json'], { env: { ...env, TSDB_BACKUP_NEW_PASSWORD: 'second' } });
    expect(added.code, added.stderr).toBe(0);
    const passwd = await cli(['key', 'passwd', '--repo', repo, '--new-password-file', path.join(dir, 'password')], { env: { TSDB_BACKUP_PASSWORD: 'second' } });
    expect(passwd.code, passwd.stderr).toBe(0);
    const keys = await cli(['key', 'list', '--repo', repo, '--json'], { env });
    expect(linesOf(keys, 'key')).toHaveLength(2);
    expect(summaryOf(keys)).toMatchObject({ command: 'key list', keys: 2 });
    expect((await cli(['list', '--repo', repo], { env: { TSDB_BACKUP_PASSWORD: 'second' } })).code).toBe(14);
    const bad = await cli(['init', '--repo', path.join(dir, 'x'), '--cipher', 'des']);
    expect(bad.code).toBe(2);
  });
});
