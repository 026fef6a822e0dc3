// A password in a URL, an auth file or variable, or a --header value is never written anywhere: not
// to the repository, stderr, --json output (success or error), a status file (JSON or .prom), a
// health or replication status file or the replication state.

import { readdir, readFile, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { cli, type CliRun } from '../support/run-cli-in-process.js';
import { seedTsd } from '../support/seed.js';

const PASSWORD = 'UrlPw-7Kq2';
const HEADER_SECRET = 'HdrTok-4Xw9';
const FILE_SECRET = 'FilePw-2Rm5';
const ENV_SECRET = 'EnvPw-8Lp3';
const SECRETS = [PASSWORD, HEADER_SECRET, FILE_SECRET, ENV_SECRET];
const withUser = (url: string): string => url.replace('http://', `http://ops:${PASSWORD}@`);

async function allBytes(root: string): Promise<string> {
  const parts: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) parts.push((await readFile(path.join(e.parentPath, e.name))).toString('latin1'));
  }
  return parts.join('\n');
}

function expectClean(what: string, text: string): void {
  for (const s of SECRETS) expect(text.includes(s), `${what} holds ${s}`).toBe(false);
  // base64 of a basic credential holding one of them
  for (const s of SECRETS) expect(text.includes(Buffer.from(`ops:${s}`).toString('base64')), `${what} holds basic auth`).toBe(false);
}

const expectRunClean = (r: CliRun, what: string): void => {
  expectClean(`${what} stdout`, r.stdout);
  expectClean(`${what} stderr`, r.stderr);
};

describe('secrets are never written', () => {
  let dir: string;
  let source: FakeTsd;
  let target: FakeTsd;
  let authFile: string;
  const env = { TSDB_TARGET_AUTH: `ops:${ENV_SECRET}` };
  const header = ['--header', `X-Api-Key: ${HEADER_SECRET}`];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-leaks-'));
    source = await startFakeTsd({ autoCreateMetrics: true });
    target = await startFakeTsd();
    await seedTsd(source.url, { scale: 'small' });
    authFile = path.join(dir, 'auth');
    await writeFile(authFile, `ops:${FILE_SECRET}\n`);
    await chmod(authFile, 0o600);
  });
  afterAll(async () => {
    await Promise.all([source, target].map((t) => t?.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('backup, incremental and restore through URLs with user:password', async () => {
    const repo = path.join(dir, 'repo');
    await initRepo(repo);
    const runs: Array<[string, CliRun]> = [];
    for (const status of ['status.json', 'status.prom']) {
      for (const json of [[], ['--json']]) {
        const args = [
          'full',
          '--source',
          withUser(source.url),
          '--repo',
          repo,
          '--metric',
          'sys.cpu.*',
          '--status-file',
          path.join(dir, status),
          ...header,
          ...json,
        ];
        runs.push([args.join(' '), await cli(args)]);
      }
    }
    runs.push([
      'incremental',
      await cli(['incremental', '--source', withUser(source.url), '--repo', repo, '--json', '--status-file', path.join(dir, 'status.json'), ...header]),
    ]);
    runs.push(['restore', await cli(['restore', '--repo', repo, '--target', withUser(target.url), '--json', ...header], { env })]);
    runs.push(['restore text', await cli(['restore', '--repo', repo, '--target', withUser(target.url), '--target-auth-file', authFile])]);
    for (const [what, r] of runs) {
      expect(r.code, `${what}: ${r.stderr}`).toBe(0);
      expectRunClean(r, what);
    }
    const list = await cli(['list', '--repo', repo, '--json']);
    expectRunClean(list, 'list');
    expect(list.stdout).toContain(source.url);
    expectClean('the repository', await allBytes(repo));
    for (const f of ['status.json', 'status.prom']) expectClean(f, await readFile(path.join(dir, f), 'utf8'));
  });

  it('errors naming a TSD (unreachable, refused) and the failed run in the status file', async () => {
    const port = await closedPort();
    const closed = `http://127.0.0.1:${port}`;
    const runs: CliRun[] = [];
    await initRepo(path.join(dir, 'never'));
    for (const status of ['failed.json', 'failed.prom']) {
      runs.push(
        await cli([
          'full',
          '--source',
          withUser(closed),
          '--repo',
          path.join(dir, 'never'),
          '--retries',
          '1',
          '--json',
          '--status-file',
          path.join(dir, status),
          ...header,
        ]),
      );
      runs.push(
        await cli(['full', '--source', withUser(closed), '--repo', path.join(dir, 'never'), '--retries', '2', '--status-file', path.join(dir, status)]),
      );
    }
    runs.push(
      await cli(['restore', '--repo', path.join(dir, 'repo'), '--target', withUser(closed), '--retries', '1', '--json', '--target-auth-file', authFile]),
    );
    runs.push(await cli(['health', '--tsd', withUser(closed), '--json', '--status-file', path.join(dir, 'health.json'), '--auth-file', authFile]));
    runs.push(await cli(['health', '--tsd', withUser(closed), '--status-file', path.join(dir, 'health.prom')]));
    for (const r of runs) {
      expect(r.code).not.toBe(0);
      expect(`${r.stdout}${r.stderr}`).toContain(`127.0.0.1:${port}`);
      expectRunClean(r, r.stderr);
    }
    for (const f of ['failed.json', 'failed.prom', 'health.json', 'health.prom']) expectClean(f, await readFile(path.join(dir, f), 'utf8'));
  });

  it('replicate and failover: the state file, the status file and the output', async () => {
    const state = path.join(dir, 'state.json');
    const statusFile = path.join(dir, 'replication.prom');
    const rep = await cli(
      [
        'replicate',
        '--source',
        withUser(source.url),
        '--target',
        withUser(target.url),
        '--state',
        state,
        '--once',
        '--metric',
        'sys.cpu.*',
        '--start',
        '2026-01-01',
        '--status-file',
        statusFile,
        '--json',
        ...header,
      ],
      { env },
    );
    expect(rep.code, rep.stderr).toBe(0);
    const fo = await cli(
      ['failover', '--from', withUser(source.url), '--to', withUser(target.url), '--state', state, '--json', '--source-auth-file', authFile, ...header],
      { env },
    );
    for (const r of [rep, fo]) expectRunClean(r, 'replication');
    expectClean('state', await readFile(state, 'utf8'));
    expectClean('replication status', await readFile(statusFile, 'utf8'));
    const json = path.join(dir, 'replication.json');
    const port = await closedPort();
    const down = await cli([
      'replicate',
      '--source',
      withUser(`http://127.0.0.1:${port}`),
      '--target',
      withUser(target.url),
      '--state',
      path.join(dir, 'state2.json'),
      '--once',
      '--start',
      '1h-ago',
      '--retries',
      '1',
      '--status-file',
      json,
    ]);
    expect(down.code).not.toBe(0);
    expectRunClean(down, 'replicate down');
    expectClean('replication status after a failure', await readFile(json, 'utf8'));
  });
});
