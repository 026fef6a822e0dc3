// A credential or header value with a control character (a second line from `$(cat file)`, a NUL)
// is refused when it is read, naming where it came from, never its content. From review: fetch's
// "invalid header value" error quoted the value in stderr, the --json error and the status file.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';

const SECRET = 'T0PSECRET-token';

describe('credentials and headers with control characters', () => {
  let dir: string;
  let tsd: FakeTsd;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-ctl-'));
    tsd = await startFakeTsd({ autoCreateMetrics: true });
    await initRepo(path.join(dir, 'repo'));
  });
  afterAll(async () => {
    await tsd?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cases: Array<[string, string[], Record<string, string>, string]> = [
    ['a two-line $TSDB_SOURCE_AUTH', [], { TSDB_SOURCE_AUTH: `Bearer ${SECRET}\nline2` }, 'TSDB_SOURCE_AUTH'],
    ['a NUL in $TSDB_SOURCE_AUTH', [], { TSDB_SOURCE_AUTH: `ops:${SECRET}\u0000` }, 'TSDB_SOURCE_AUTH'],
    ['a NUL in a --header value', ['--header', `X-Token: ${SECRET}\u0000`], {}, '--header X-Token'],
    ['a line break in a --header value', ['--header', `X-Token: ${SECRET}\r\nX-Other: y`], {}, '--header X-Token'],
  ];
  for (const [what, args, env, names] of cases) {
    it(`${what}: exit 2 naming it, the value nowhere`, async () => {
      const status = path.join(dir, 'status.json');
      const r = await cli(['full', '--source', tsd.url, '--repo', path.join(dir, 'repo'), '--json', '--status-file', status, ...args], { env });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(names);
      expect(r.stderr).toMatch(/control character/);
      expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
      expect(await readFile(status, 'utf8').catch(() => '')).not.toContain(SECRET);
    });
  }

  it('a header that fetch refuses for another reason (a space in its name) is exit 2, the value nowhere, not "unreachable"', async () => {
    const r = await cli(['full', '--source', tsd.url, '--repo', path.join(dir, 'repo'), '--json', '--header', `X Token: ${SECRET}`]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('fetch refused it');
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
  });

  it('an auth file with a control character in its first line is refused the same way', async () => {
    const file = path.join(dir, 'auth');
    await writeFile(file, `ops:${SECRET}\u0007\n`, { mode: 0o600 });
    const r = await cli(['full', '--source', tsd.url, '--repo', path.join(dir, 'repo'), '--source-auth-file', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(file);
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
  });
});
