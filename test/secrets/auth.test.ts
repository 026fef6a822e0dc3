// TSD credentials from the environment or a file, and their precedence, against an HTTPS proxy that
// answers 401 unless it gets exactly the expected Authorization header.

import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { cli, type CliRun } from '../support/run-cli-in-process.js';
import { seedTsd } from '../support/seed.js';
import { startTlsProxy, tlsFixture, type TlsProxy } from '../support/tls-proxy.js';

const USER = 'backup';
const PASSWORD = 'pw-Zq8-secret';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const TOKEN = 'tok-Yx7-secret';

function expectNoSecret(r: CliRun): void {
  for (const s of [PASSWORD, TOKEN, BASIC]) {
    expect(r.stdout).not.toContain(s);
    expect(r.stderr).not.toContain(s);
  }
}

describe('TSD credentials from the environment or a file', () => {
  let dir: string;
  let source: FakeTsd;
  let target: FakeTsd;
  let basicProxy: TlsProxy;
  let bearerProxy: TlsProxy;
  let targetProxy: TlsProxy;
  const cacert = ['--cacert', tlsFixture('ca.pem')];
  const secretFile = async (name: string, text: string, mode = 0o600): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    await chmod(file, mode);
    return file;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-auth-'));
    source = await startFakeTsd({ autoCreateMetrics: true });
    target = await startFakeTsd();
    await seedTsd(source.url, { scale: 'small' });
    basicProxy = await startTlsProxy(source.url, { authorization: BASIC });
    bearerProxy = await startTlsProxy(source.url, { authorization: `Bearer ${TOKEN}` });
    targetProxy = await startTlsProxy(target.url, { authorization: BASIC });
  });
  afterAll(async () => {
    await Promise.all([basicProxy, bearerProxy, targetProxy].map((p) => p?.close()));
    await Promise.all([source, target].map((t) => t?.close()));
    await rm(dir, { recursive: true, force: true });
  });

  const full = async (url: string, repo: string, extra: string[] = [], env: Record<string, string> = {}): Promise<CliRun> => {
    const at = path.join(dir, repo);
    if (!existsSync(at)) await initRepo(at);
    return cli(['full', '--source', url, '--repo', at, '--metric', 'sys.cpu.*', '--quiet', ...cacert, ...extra], { env });
  };

  it('without credentials the proxy refuses (exit 1), and says so', async () => {
    const r = await full(basicProxy.url, 'none');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('401');
  });

  it('user:password from $TSDB_SOURCE_AUTH is sent as basic auth', async () => {
    const r = await full(basicProxy.url, 'env', [], { TSDB_SOURCE_AUTH: `${USER}:${PASSWORD}` });
    expect(r.code, r.stderr).toBe(0);
    expectNoSecret(r);
  });

  it("'Bearer <token>' from --source-auth-file is sent as it is (first line, trailing newline trimmed)", async () => {
    const file = await secretFile('bearer', `Bearer ${TOKEN}\nignored second line\n`);
    const r = await full(bearerProxy.url, 'file', ['--source-auth-file', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('warning');
    expectNoSecret(r);
  });

  it('the file wins over the variable, and either over the URL (with a warning)', async () => {
    const file = await secretFile('basic', `${USER}:${PASSWORD}\n`);
    const fileWins = await full(basicProxy.url, 'file-wins', ['--source-auth-file', file], { TSDB_SOURCE_AUTH: 'other:wrong' });
    expect(fileWins.code, fileWins.stderr).toBe(0);
    const url = basicProxy.url.replace('https://', 'https://other:wrong@');
    const envWins = await full(url, 'env-wins', [], { TSDB_SOURCE_AUTH: `${USER}:${PASSWORD}` });
    expect(envWins.code, envWins.stderr).toBe(0);
    expect(envWins.stderr).toContain('warning: --source: the credentials of $TSDB_SOURCE_AUTH replace those in the URL or --header');
    expect(envWins.stderr).not.toContain('wrong');
  });

  it('credentials in the URL keep working', async () => {
    const url = basicProxy.url.replace('https://', `https://${USER}:${PASSWORD}@`);
    const r = await full(url, 'url', ['--json']);
    expect(r.code, r.stderr).toBe(0);
    expectNoSecret(r);
  });

  it('restore, health and replicate take the target and --tsd credentials', async () => {
    const repo = path.join(dir, 'env');
    const r = await cli(['restore', '--repo', repo, '--target', targetProxy.url, '--quiet', ...cacert], { env: { TSDB_TARGET_AUTH: `${USER}:${PASSWORD}` } });
    expect(r.code, r.stderr).toBe(0);
    const file = await secretFile('tsd-auth', `${USER}:${PASSWORD}`);
    const h = await cli(['health', '--tsd', basicProxy.url, '--tsd', targetProxy.url, '--read-only', '--auth-file', file, ...cacert]);
    expect(h.code, h.stderr).toBe(0);
    const hEnv = await cli(['health', '--tsd', basicProxy.url, '--read-only', ...cacert], { env: { TSDB_TSD_AUTH: `${USER}:${PASSWORD}` } });
    expect(hEnv.code, hEnv.stderr).toBe(0);
    const rep = await cli(
      [
        'replicate',
        '--source',
        bearerProxy.url,
        '--target',
        targetProxy.url,
        '--state',
        path.join(dir, 'state.json'),
        '--once',
        '--metric',
        'sys.cpu.*',
        '--start',
        '2026-01-01',
        ...cacert,
      ],
      { env: { TSDB_SOURCE_AUTH: `Bearer ${TOKEN}`, TSDB_TARGET_AUTH: `${USER}:${PASSWORD}` } },
    );
    expect(rep.code, rep.stderr).toBe(0);
    for (const run of [r, h, hEnv, rep]) expectNoSecret(run);
  });

  it('an empty, missing or malformed credential is a usage error naming its origin, never its content', async () => {
    const empty = await secretFile('empty', '\n  \n');
    const e = await full(basicProxy.url, 'x', ['--source-auth-file', empty]);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain(empty);
    const missing = path.join(dir, 'no-such-file');
    const m = await full(basicProxy.url, 'x', ['--source-auth-file', missing]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(missing);
    const bad = await full(basicProxy.url, 'x', ['--json'], { TSDB_SOURCE_AUTH: TOKEN });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('$TSDB_SOURCE_AUTH');
    expectNoSecret(bad);
  });

  it('warns when the credential file can be read by others', async () => {
    const file = await secretFile('loose', `${USER}:${PASSWORD}\n`, 0o644);
    const r = await full(basicProxy.url, 'loose-repo', ['--source-auth-file', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: --source-auth-file ${file} can be read by others (mode 0644); chmod 600 it`);
  });
});
