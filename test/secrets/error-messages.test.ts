import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/opentsdb/client.js';
import { cli } from '../support/run-cli-in-process.js';

const SECRET = 's3cr3tPW';
const MALFORMED = [
  `htp://user:${SECRET}@host:4242`,
  `http//user:${SECRET}@host:4242`,
  `http://user:${SECRET}@host:99999`,
  `http://user:${SECRET}/x@host:4242`,
  `http://user:${SECRET}%zz@host:4242`,
  // an unencoded '@' in the password: everything before the last '@' is hidden
  `http://user:${SECRET}@${SECRET}@host:99999`,
  `user:${SECRET}@host:4242`,
];

describe('secrets in error messages', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-secrets-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const commands = (url: string): string[][] => [
    ['full', '--source', url, '--repo', dir],
    ['incremental', '--source', url, '--repo', dir],
    ['restore', '--target', url, '--repo', dir],
    ['replicate', '--source', url, '--target', 'http://127.0.0.1:1', '--state', path.join(dir, 's.json'), '--once'],
    ['replicate', '--source', 'http://127.0.0.1:1', '--target', url, '--state', path.join(dir, 's.json'), '--once'],
    ['failover', '--from', url, '--to', 'http://127.0.0.1:1', '--state', path.join(dir, 's.json')],
    ['failback', '--from', 'http://127.0.0.1:1', '--to', url, '--state', path.join(dir, 's.json')],
    ['health', '--tsd', url],
  ];

  for (const url of MALFORMED) {
    it(`a malformed URL never quotes its password, on stderr or in --json: ${url.replace(SECRET, 'SECRET')}`, async () => {
      for (const args of commands(url)) {
        const r = await cli([...args, '--json']);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr, args.join(' ')).not.toContain(SECRET);
        expect(r.stdout, args.join(' ')).not.toContain(SECRET);
        expect(r.json[0], args.join(' ')).toMatchObject({ type: 'error', code: 'USAGE' });
        const plain = await cli(args);
        expect(plain.stderr, args.join(' ')).not.toContain(SECRET);
        expect(plain.stderr).toContain('***');
      }
    });
  }

  it('a malformed --header names the header, never its value', async () => {
    for (const h of [`Authorization Bearer ${SECRET}`, `:Bearer ${SECRET}`, `X-Api-Key${SECRET}`, `Authorization=${SECRET}`]) {
      for (const args of [
        ['full', '--source', 'http://127.0.0.1:1', '--repo', dir, '--header', h],
        ['health', '--tsd', 'http://127.0.0.1:1', '--header', h],
      ]) {
        const r = await cli([...args, '--json']);
        expect(r.code).toBe(2);
        expect(r.stderr).not.toContain(SECRET);
        expect(r.stdout).not.toContain(SECRET);
        expect(r.stderr).toContain('--header');
      }
    }
    const r = await cli(['full', '--source', 'http://127.0.0.1:1', '--repo', dir, '--header', `Authorization Bearer ${SECRET}`]);
    expect(r.stderr).toContain("'Authorization'");
  });

  it('redactUrl hides everything before the last @ and keeps the rest', () => {
    expect(redactUrl('http://a:b@c@host:1/x')).toBe('http://***@host:1/x');
    expect(redactUrl('http://host:1/x')).toBe('http://host:1/x');
    expect(redactUrl('a:b@host')).toBe('***@host');
    expect(redactUrl('https://u:p@h')).toBe('https://***@h');
  });
});
