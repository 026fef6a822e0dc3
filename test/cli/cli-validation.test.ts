// Every option value and argument is checked before anything is contacted: a bad one exits 2 with a
// message naming the flag, never a stack trace (exit 70), never a TSD or repository contacted.

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port.js';
import { cli } from '../support/run-cli-in-process.js';

describe('option validation before any contact', () => {
  let dir: string;
  let source: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-validate-'));
    // Nothing listens here: a command that contacted it would exit 12, not 2.
    source = `http://127.0.0.1:${await closedPort()}`;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cases: Array<[string, string[], string]> = [
    ['--max-window 0s', ['full', '--source', 'S', '--repo', 'R', '--max-window', '0s'], '--max-window'],
    ['--min-window 0s', ['full', '--source', 'S', '--repo', 'R', '--min-window', '0s'], '--min-window'],
    ['--min-window above --max-window', ['full', '--source', 'S', '--repo', 'R', '--min-window', '2h', '--max-window', '1h'], '--min-window'],
    ['--timeout 0s', ['full', '--source', 'S', '--repo', 'R', '--timeout', '0s'], '--timeout'],
    ['--timeout 50d', ['full', '--source', 'S', '--repo', 'R', '--timeout', '50d'], '--timeout'],
    ['an absurd duration', ['full', '--source', 'S', '--repo', 'R', '--max-window', '99999999999999999999y'], '--max-window'],
    ['--start after --end (full)', ['full', '--source', 'S', '--repo', 'R', '--start', '2026-02-01', '--end', '2026-01-01'], '--start'],
    ['--wait-lock garbage (full)', ['full', '--source', 'S', '--repo', 'R', '--wait-lock', 'soon'], '--wait-lock'],
    ['--overlap garbage', ['incremental', '--source', 'S', '--repo', 'R', '--overlap', '1 hour'], '--overlap'],
    ['--settle garbage', ['incremental', '--source', 'S', '--repo', 'R', '--settle', '-1m'], '--settle'],
    ['--timeout 0s (incremental)', ['incremental', '--source', 'S', '--repo', 'R', '--timeout', '0s'], '--timeout'],
    ['--start after --end (restore)', ['restore', '--target', 'S', '--repo', 'R', '--start', '2026-02-01', '--end', '2026-01-01'], '--start'],
    ['--timeout 50d (restore)', ['restore', '--target', 'S', '--repo', 'R', '--timeout', '50d'], '--timeout'],
    ['--wait-lock garbage (restore)', ['restore', '--dry-run', '--repo', 'R', '--wait-lock', 'x'], '--wait-lock'],
    ['--wait-lock garbage (verify)', ['verify', '--repo', 'R', '--wait-lock', 'x'], '--wait-lock'],
    ['--wait-lock garbage (prune)', ['prune', '--repo', 'R', '--keep-last', '1', '--wait-lock', 'x'], '--wait-lock'],
    ['--keep-within garbage', ['prune', '--repo', 'R', '--keep-within', 'a week'], '--keep-within'],
    ['a backup id that is a path (restore)', ['restore', '../../etc', '--repo', 'R', '--dry-run'], 'backup id'],
    ['a backup id that is a path (verify)', ['verify', '../x', '--repo', 'R'], 'backup id'],
    ['--source htp:/x', ['full', '--source', 'htp:/x', '--repo', 'R'], '--source'],
    ["--target 'http://[bad'", ['restore', '--target', 'http://[bad', '--repo', 'R'], '--target'],
    ['--repo s3://', ['verify', '--repo', 's3://'], 's3://'],
    ['--repo file://%zz', ['list', '--repo', 'file://%zz'], '--repo'],
    ['--repo file://otherhost/x', ['list', '--repo', 'file://otherhost/x'], '--repo'],
    ['--s3-endpoint notaurl', ['verify', '--repo', 's3://bucket/p', '--s3-endpoint', 'notaurl'], '--s3-endpoint'],
  ];
  for (const [i, [name, args, flag]] of cases.entries()) {
    it(`${name}: exit 2 naming ${flag}`, async () => {
      const repo = path.join(dir, `repo-${i}`);
      const argv = args.map((a) => (a === 'S' ? source : a === 'R' ? repo : a));
      const r = await cli(argv);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(flag);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      // nothing was created at the repository
      await expect(stat(repo)).rejects.toMatchObject({ code: 'ENOENT' });
    });
  }
});
