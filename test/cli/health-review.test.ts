// Defects found in review of `health`: a password in a malformed URL was printed (stdout too, under
// --nagios and --json); the read-only probe never read the data table; a put refused by HBase (200
// with failed: 1, as 2.4.1 answers it) was not called HBase trouble.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd, type FakeTsdOptions } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';

const tsds: FakeTsd[] = [];
async function fake(o: FakeTsdOptions = {}): Promise<FakeTsd> {
  const t = await startFakeTsd(o);
  tsds.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(tsds.splice(0).map((t) => t.close()));
});

describe('health, from review', () => {
  const malformed = [
    'http://ops:s3cr3t@tsd:99999',
    'http://ops:pa/s3cr3t@tsd:4242',
    'http://ops:p#s3cr3t@tsd:4242',
    'ftp://ops:s3cr3t@tsd',
    'http://ops:100%s3cr3t@tsd:4242',
  ];
  it.each(malformed)('a malformed URL never shows its password: %s', async (url) => {
    for (const args of [
      ['health', '--tsd', url, '--nagios'],
      ['health', '--tsd', url, '--json'],
      ['replicate', '--source', url, '--target', 'http://b:4242', '--state', '/nonexistent/s.json', '--once', '--json'],
    ]) {
      const r = await cli(args);
      expect(r.stdout + r.stderr, args.join(' ')).not.toContain('s3cr3t');
      expect(r.code, r.stderr).toBe(args.includes('--nagios') ? 3 : 2);
      expect(r.stdout + r.stderr).toContain('***@');
    }
  });

  it('--read-only reads the data table: a TSD whose data table fails is degraded, not healthy', async () => {
    const t = await fake({
      autoCreateMetrics: true,
      faults: (r) =>
        r.path.startsWith('/api/query') && r.body.toString().includes('"metric":"sys.load"')
          ? { status: 424, body: { error: { code: 424, message: 'org.hbase.async.RegionOfflineException' } } }
          : undefined,
    });
    await putPoints(t.url, [{ metric: 'sys.load', tags: { host: 'a' }, timestamp: Date.now() - 1000, value: '1' }]);
    const r = await cli(['health', '--tsd', t.url, '--read-only', '--json']);
    expect(r.code).toBe(6);
    expect((r.json[0] as { reasons: string[] }).reasons).toEqual([expect.stringMatching(/^HBase trouble: query answered 424/)]);
  });

  it('a canary the TSD could not store because of HBase (200, failed: 1) is HBase trouble', async () => {
    const t = await fake({
      autoCreateMetrics: true,
      faults: (r) =>
        r.path.startsWith('/api/put')
          ? { status: 200, body: { success: 0, failed: 1, errors: [{ datapoint: {}, error: 'Storage exception: org.hbase.async.PleaseThrottleException' }] } }
          : undefined,
    });
    const r = await cli(['health', '--tsd', t.url, '--json']);
    expect(r.code).toBe(6);
    expect((r.json[0] as { reasons: string[] }).reasons).toEqual([
      expect.stringMatching(/^HBase trouble: put failed: the TSD did not store the canary: Storage exception/),
    ]);
  });
});
