// HTTPS to the TSDs: a private CA (--cacert), a proxy that requires client certificates (--client-cert,
// --client-key), and the clear failures of each, through an HTTPS proxy in front of the fake TSD.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { seedTsd } from '../support/seed.js';
import { startTlsProxy, tlsFixture, type TlsProxy } from '../support/tls-proxy.js';

const points = (tsd: FakeTsd): number => tsd.dump().reduce((n, s) => n + s.points.length, 0);

describe('HTTPS to the TSDs', () => {
  let dir: string;
  let source: FakeTsd;
  let target: FakeTsd;
  let tlsSource: TlsProxy;
  let tlsTarget: TlsProxy;
  let mtlsSource: TlsProxy;
  const cacert = ['--cacert', tlsFixture('ca.pem')];
  const clientCert = ['--client-cert', tlsFixture('client.pem'), '--client-key', tlsFixture('client.key')];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-https-'));
    source = await startFakeTsd({ autoCreateMetrics: true });
    target = await startFakeTsd();
    await seedTsd(source.url, { scale: 'small' });
    tlsSource = await startTlsProxy(source.url);
    tlsTarget = await startTlsProxy(target.url, { host: '127.0.0.1' });
    mtlsSource = await startTlsProxy(source.url, { requireClientCert: true });
  });
  afterAll(async () => {
    await Promise.all([tlsSource, tlsTarget, mtlsSource].map((p) => p?.close()));
    await Promise.all([source, target].map((t) => t?.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('backs up and restores through https:// with --cacert (localhost and 127.0.0.1)', async () => {
    const repo = path.join(dir, 'repo');
    await initRepo(repo);
    const b = await cli(['full', '--source', tlsSource.url, '--repo', repo, ...cacert]);
    expect(b.stderr).toMatch(/full backup .* complete/);
    expect(b.code).toBe(0);
    const r = await cli(['restore', '--repo', repo, '--target', tlsTarget.url, '--quiet', ...cacert]);
    expect(r.code, r.stderr).toBe(0);
    expect(points(target)).toBe(points(source));
    const h = await cli(['health', '--tsd', tlsSource.url, '--tsd', tlsTarget.url, '--read-only', ...cacert]);
    expect(h.code, h.stderr).toBe(0);
  });

  it('an untrusted certificate fails at once with exit 12, naming the TSD and --cacert', async () => {
    await initRepo(path.join(dir, 'untrusted'));
    for (const extra of [[], ['--cacert', tlsFixture('other-ca.pem')]]) {
      const r = await cli(['full', '--source', tlsSource.url, '--repo', path.join(dir, 'untrusted'), '--json', ...extra]);
      expect(r.code, r.stderr).toBe(12);
      expect(r.stderr).toContain(tlsSource.url);
      expect(r.stderr).toMatch(/TLS: the certificate of .* is not trusted \(\w+\)/);
      expect(r.stderr).toContain('--cacert');
      expect(r.json.filter((e) => e.type === 'retry')).toEqual([]);
      expect(r.json.at(-1)).toMatchObject({ type: 'error', exitCode: 12 });
    }
    const h = await cli(['health', '--tsd', tlsSource.url, '--json']);
    expect(h.code).toBe(7);
    expect(h.stdout).toMatch(/not trusted/);
  });

  it('a proxy that requires a client certificate: refused clearly without one, works with one', async () => {
    await initRepo(path.join(dir, 'mtls-refused'));
    const without = await cli(['full', '--source', mtlsSource.url, '--repo', path.join(dir, 'mtls-refused'), '--json', ...cacert]);
    expect(without.code, without.stderr).toBe(12);
    expect(without.stderr).toMatch(/TLS: .*client certificate/);
    expect(without.stderr).toContain('--client-cert');
    expect(without.json.filter((e) => e.type === 'retry')).toEqual([]);
    const repo = path.join(dir, 'mtls');
    await initRepo(repo);
    const ok = await cli(['full', '--source', mtlsSource.url, '--repo', repo, '--quiet', ...cacert, ...clientCert]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('a missing or unusable TLS file is a usage error naming it', async () => {
    const missing = path.join(dir, 'no-such-ca.pem');
    const r = await cli(['full', '--source', tlsSource.url, '--repo', path.join(dir, 'x'), '--cacert', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(missing);
    const notPem = await cli(['full', '--source', tlsSource.url, '--repo', path.join(dir, 'x'), '--cacert', tlsFixture('README.md')]);
    expect(notPem.code).toBe(2);
    expect(notPem.stderr).toContain('--cacert');
    const half = await cli(['restore', '--target', tlsTarget.url, '--repo', path.join(dir, 'x'), '--client-cert', tlsFixture('client.pem')]);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('--client-key');
    const wrongKey = await cli(['health', '--tsd', tlsTarget.url, '--client-cert', tlsFixture('client.pem'), '--client-key', tlsFixture('server.key')]);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toContain('--client-cert');
  });
});
