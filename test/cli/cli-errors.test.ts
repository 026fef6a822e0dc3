import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';

describe('the CLI on bad input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints help with the exit code table and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*130/);
    const sub = await cli(['restore', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--dry-run');
  });

  it('an unknown flag or command is a usage error (2)', async () => {
    expect((await cli(['full', '--source', 'http://x:1', '--repo', dir, '--bogus'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli([])).code).toBe(2);
  });

  it('a bad value names the option (2)', async () => {
    const r = await cli(['full', '--source', 'http://127.0.0.1:1', '--repo', dir, '--start', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--start');
    const c = await cli(['full', '--source', 'http://127.0.0.1:1', '--repo', dir, '--concurrency', '0']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--concurrency');
  });

  it('a source that is not a URL is a usage error (2)', async () => {
    const r = await cli(['full', '--source', 'tsd:4242', '--repo', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/http/);
  });

  it('an unreachable source exits 12 with one line naming it, no stack trace', async () => {
    const port = await closedPort();
    const repo = path.join(dir, 'repo');
    await initRepo(repo);
    const statusFile = path.join(dir, 'unreachable-status.json');
    const r = await cli(['full', '--source', `http://127.0.0.1:${port}`, '--repo', repo, '--retries', '1', '--quiet', '--status-file', statusFile]);
    expect(r.code).toBe(12);
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // checked before the lock is taken: no lock is left behind
    expect(await readdir(path.join(repo, 'locks')).catch(() => [])).toEqual([]);
    // ...and the failed run is on record for monitoring
    expect(JSON.parse(await readFile(statusFile, 'utf8'))).toMatchObject({ commands: { full: { success: false, exitCode: 12 } } });
    // Without a repository the repository is what is missing (it is opened first, to ask for its
    // password before any progress output): exit 10, and nothing is created.
    const fresh = path.join(dir, 'fresh-repo');
    expect((await cli(['full', '--source', `http://127.0.0.1:${port}`, '--repo', fresh, '--retries', '1', '--quiet'])).code).toBe(10);
    await expect(stat(fresh)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a repository that does not exist exits 10 for list, verify and restore', async () => {
    for (const args of [['list'], ['verify'], ['restore', '--dry-run']]) {
      const r = await cli([...args, '--repo', path.join(dir, 'nowhere')]);
      expect(r.code, args.join(' ')).toBe(10);
      expect(r.stderr).toContain('nowhere');
    }
  });

  it('restore without --target or --dry-run is a usage error', async () => {
    const r = await cli(['restore', '--repo', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--target');
  });

  it('--json errors are JSON on stdout', async () => {
    const r = await cli(['list', '--repo', path.join(dir, 'nowhere'), '--json']);
    expect(r.code).toBe(10);
    expect(r.json[0]).toMatchObject({ type: 'error', exitCode: 10, code: 'REPOSITORY_NOT_FOUND' });
  });
});

describe('incremental on bad input', () => {
  it('an invalid --overlap is a usage error before anything is read', async () => {
    const r = await cli(['incremental', '--source', 'http://127.0.0.1:1', '--repo', '/nonexistent/repo', '--overlap', '1x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--overlap');
  });
});
