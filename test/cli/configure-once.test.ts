// The repository and its options from the environment and a config file, with flag > environment > file.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { useTempDir } from '../support/temp-dir.js';

describe('configure once: environment and config file', () => {
  const dir = useTempDir('configure-once-');
  let repo = '';
  let missing = '';
  const config = async (name: string, doc: object): Promise<string> => {
    const file = path.join(dir(), name);
    await writeFile(file, JSON.stringify(doc));
    return file;
  };

  beforeAll(async () => {
    repo = path.join(dir(), 'repo');
    missing = path.join(dir(), 'missing');
    await initRepo(repo);
  });

  it('takes the repository from TSDB_BACKUP_REPOSITORY', async () => {
    const r = await cli(['list'], { env: { TSDB_BACKUP_REPOSITORY: repo } });
    expect(r.code, r.stderr).toBe(0);
  });

  it('takes the repository from --config or TSDB_BACKUP_CONFIG (a schedule file serves as one)', async () => {
    const file = await config('c1.json', { repo });
    expect((await cli(['list', '--config', file])).code).toBe(0);
    expect((await cli(['list'], { env: { TSDB_BACKUP_CONFIG: file } })).code).toBe(0);
    expect((await cli(['unlock', '--dry-run'], { env: { TSDB_BACKUP_CONFIG: file } })).code).toBe(0);
    const schedule = await config('schedule.json', { source: 'http://tsd:4242', repo, full: { cron: '0 3 * * *' }, retention: { keepLast: 3 } });
    expect((await cli(['list', '--config', schedule])).code).toBe(0);
  });

  it('a flag beats the environment, which beats the file', async () => {
    const toMissing = await config('c2.json', { repo: missing });
    expect((await cli(['list', '--repo', repo, '--config', toMissing], { env: { TSDB_BACKUP_REPOSITORY: missing } })).code).toBe(0);
    expect((await cli(['list', '--config', toMissing], { env: { TSDB_BACKUP_REPOSITORY: repo } })).code).toBe(0);
    const r = await cli(['list', '--config', await config('c3.json', { repo })], { env: { TSDB_BACKUP_REPOSITORY: missing } });
    expect(r.code).toBe(10);
    expect(r.stderr).toContain(missing);
  });

  it('without a repository anywhere, says where one can come from (exit 2)', async () => {
    const r = await cli(['list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no repository given: use --repo, TSDB_BACKUP_REPOSITORY, or "repo" in a config file/);
  });

  it.each([
    [{ TSDB_BACKUP_S3_QUEUE_SIZE: 'many' }, /TSDB_BACKUP_S3_QUEUE_SIZE must be a whole number from 1 to 64, not 'many'/],
    [{ TSDB_BACKUP_S3_FORCE_PATH_STYLE: 'maybe' }, /TSDB_BACKUP_S3_FORCE_PATH_STYLE must be true or false, not 'maybe'/],
    [{ TSDB_BACKUP_S3_SSE: 'rot13' }, /TSDB_BACKUP_S3_SSE: /],
  ])('a bad environment value %j is named by its variable (exit 2)', async (env, message) => {
    const r = await cli(['list', '--repo', 's3://some-bucket/prefix'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a bad config value is named by the file and field (exit 2); the flag still wins over the file', async () => {
    const bad = await config('bad.json', { repo: 's3://some-bucket/prefix', s3: { sse: 'rot13' } });
    const r = await cli(['list', '--config', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: field 's3.sse'`);
    const wrongType = await config('wrong-type.json', { repo, s3: { queueSize: 'four' } });
    const w = await cli(['list', '--config', wrongType]);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain(`${wrongType}: field 's3.queueSize'`);
    const unknown = await config('unknown.json', { repository: repo });
    expect((await cli(['list', '--config', unknown])).stderr).toMatch(/repository/);
    const r2 = await cli(['full', '--config', bad, '--s3-sse', 'AES256', '--source', 'http://127.0.0.1:1', '--metric', 'm'], { env: {} });
    expect(r2.stderr).not.toContain("field 's3.sse'");
  });

  it('an unreadable config file is named (exit 2)', async () => {
    const r = await cli(['list', '--config', path.join(dir(), 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read the config file .*nope\.json/);
  });

  it("the config file's passwordFile (relative to the file) opens an encrypted repository; the environment's password wins", async () => {
    const enc = path.join(dir(), 'enc');
    await initRepo(enc, { password: 'correct horse' });
    await mkdir(path.join(dir(), 'etc'), { recursive: true });
    await writeFile(path.join(dir(), 'etc', 'password'), 'correct horse\n');
    const file = await config('etc/enc.json', { repo: enc, passwordFile: 'password' });
    expect((await cli(['list', '--config', file])).code).toBe(0);
    expect((await cli(['list', '--config', file], { env: { TSDB_BACKUP_PASSWORD: 'wrong' } })).code).toBe(14);
  });
});

describe('the cluster name in the status file', () => {
  const dir = useTempDir('status-name-');

  it("a backup's status records its source: --name, else the TSD URL", async () => {
    const { closedPort } = await import('../support/closed-port.js');
    const { readFile } = await import('node:fs/promises');
    const port = await closedPort();
    const repo = path.join(dir(), 'repo');
    await initRepo(repo);
    const named = path.join(dir(), 'named.json');
    await cli(['full', '--source', `http://127.0.0.1:${port}`, '--name', 'prod-eu', '--repo', repo, '--retries', '1', '--quiet', '--status-file', named]);
    expect(JSON.parse(await readFile(named, 'utf8'))).toMatchObject({ commands: { full: { source: 'prod-eu', exitCode: 12 } } });
    const unnamed = path.join(dir(), 'unnamed.json');
    await cli(['incremental', '--source', `http://127.0.0.1:${port}`, '--repo', repo, '--retries', '1', '--quiet', '--status-file', unnamed]);
    expect(JSON.parse(await readFile(unnamed, 'utf8'))).toMatchObject({ commands: { incremental: { source: `http://127.0.0.1:${port}` } } });
  });
});
