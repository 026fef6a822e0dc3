// Secrets and access against the real OpenTSDB 2.4.1: a backup and a restore through an HTTPS proxy that
// requires client certificates, and through one that requires an Authorization header (the TSD itself
// ignores authentication) given by an auth file and a variable to the built CLI as a process.

import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pointCount, snapshot } from '../support/compare-clusters.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { startTlsProxy, tlsFixture, type TlsProxy } from '../support/tls-proxy.js';

const skipped = inject('e2eSkipped');
const BIN = path.resolve(import.meta.dirname, '../../bin/tsdb-backup.js');
const START = Date.UTC(2026, 2, 1);
const END = START + 3_600_000;
const PASSWORD = 'e2e-Pw-5Tn1';
const BASIC = `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`;

describe.runIf(!skipped)('secrets and access (real OpenTSDB 2.4.1)', () => {
  const run = Date.now().toString(36);
  let dir: string;
  const proxies: TlsProxy[] = [];
  const cacert = ['--cacert', tlsFixture('ca.pem')];
  const clientCert = ['--client-cert', tlsFixture('client.pem'), '--client-key', tlsFixture('client.key')];

  async function seed(metric: string): Promise<void> {
    const points = Array.from({ length: 120 }, (_, i) => ({ metric, tags: { host: `h${i % 3}` }, timestamp: START + i * 30_000, value: String(i) }));
    await putPoints(inject('sourceUrl'), points);
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-e2e-secrets-'));
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('backup and restore through HTTPS proxies that require client certificates', async () => {
    const metric = `e2e.secrets.mtls.${run}`;
    await seed(metric);
    const source = await startTlsProxy(inject('sourceUrl'), { requireClientCert: true });
    const target = await startTlsProxy(inject('targetUrl'), { requireClientCert: true, host: '127.0.0.1' });
    proxies.push(source, target);
    const repo = path.join(dir, 'mtls');
    await initRepo(repo);
    const refused = await cli(['full', '--source', source.url, '--repo', repo, '--metric', metric, ...cacert]);
    expect(refused.code).toBe(12);
    expect(refused.stderr).toContain('--client-cert');
    const b = await cli([
      'full',
      '--source',
      source.url,
      '--repo',
      repo,
      '--metric',
      metric,
      '--start',
      String(START),
      '--end',
      String(END),
      '--quiet',
      ...cacert,
      ...clientCert,
    ]);
    expect(b.code, b.stderr).toBe(0);
    const r = await cli(['restore', '--repo', repo, '--target', target.url, '--quiet', ...cacert, ...clientCert]);
    expect(r.code, r.stderr).toBe(0);
    const restored = await snapshot(inject('targetUrl'), [metric], START, END);
    expect(pointCount(restored)).toBe(120);
    expect(restored).toEqual(await snapshot(inject('sourceUrl'), [metric], START, END));
  });

  it('backup and restore with credentials from an auth file and a variable, never on the command line', async () => {
    const metric = `e2e.secrets.auth.${run}`;
    await seed(metric);
    const source = await startTlsProxy(inject('sourceUrl'), { authorization: BASIC });
    const target = await startTlsProxy(inject('targetUrl'), { authorization: BASIC });
    proxies.push(source, target);
    const authFile = path.join(dir, 'source-auth');
    await writeFile(authFile, `ops:${PASSWORD}\n`);
    await chmod(authFile, 0o600);
    const repo = path.join(dir, 'auth');
    const exec = (args: string[], env: Record<string, string> = {}) =>
      promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    // An encrypted repository whose password, too, comes from a file.
    const passwordFile = path.join(dir, 'repository-password');
    await writeFile(passwordFile, `repository ${PASSWORD}\n`, { mode: 0o600 });
    const pw = ['--password-file', passwordFile];
    const init = await exec(['init', '--repo', repo, ...pw]);
    expect(init.code, init.stderr).toBe(0);
    const denied = await exec(['full', '--source', source.url, '--repo', repo, '--metric', metric, ...pw, ...cacert]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('401');
    const b = await exec([
      'full',
      '--source',
      source.url,
      '--repo',
      repo,
      '--metric',
      metric,
      '--start',
      String(START),
      '--end',
      String(END),
      '--quiet',
      '--source-auth-file',
      authFile,
      ...pw,
      ...cacert,
    ]);
    expect(b.code, b.stderr).toBe(0);
    const r = await exec(['restore', '--repo', repo, '--target', target.url, '--quiet', ...pw, ...cacert], { TSDB_TARGET_AUTH: `ops:${PASSWORD}` });
    expect(r.code, r.stderr).toBe(0);
    expect([...source.stats.authorizations, ...target.stats.authorizations]).toEqual([BASIC, BASIC]);
    for (const out of [b, r]) expect(`${out.stdout}${out.stderr}`).not.toContain(PASSWORD);
    const restored = await snapshot(inject('targetUrl'), [metric], START, END);
    expect(pointCount(restored)).toBe(120);
  });
});
