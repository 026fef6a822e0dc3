// restore --resume on the command line: a stopped restore says in its --json error what it wrote and
// where its journal is; the resumed run's summary says what it skipped and what it wrote now.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';
import { useTempDir } from '../support/temp-dir.js';

const T0 = Date.UTC(2026, 6, 1);
const names = Array.from({ length: 6 }, (_, m) => `cliresume.m${m}`);

describe('restore --resume (CLI)', () => {
  const tmp = useTempDir('tsdb-backup-resume-cli-');
  let source: FakeTsd;
  let target: FakeTsd;
  let refuse = true;
  let repo = '';
  beforeAll(async () => {
    source = await startFakeTsd({ autoCreateMetrics: true });
    target = await startFakeTsd({
      autoCreateMetrics: true,
      faults: (req) =>
        refuse && req.path.startsWith('/api/put') && req.body.toString().includes('cliresume.m3')
          ? { status: 400, body: { error: { code: 400, message: 'refused by the test' } } }
          : undefined,
    });
    await putPoints(
      source.url,
      names.flatMap((metric) => Array.from({ length: 4 }, (_, i) => ({ metric, tags: { host: 'a' }, timestamp: T0 + i * 1000, value: String(i) }))),
    );
    repo = path.join(tmp(), 'repo');
    await initRepo(repo);
    const b = await cli(['full', '--source', source.url, '--repo', repo, '--start', String(T0), '--end', String(T0 + 60_000), '--quiet']);
    expect(b.code, b.stderr).toBe(0);
  });
  afterAll(async () => {
    await Promise.all([source.close(), target.close()]);
  });

  it('reports what a stopped restore wrote and its journal; the resumed run what it skipped and wrote', async () => {
    const stateDir = path.join(tmp(), 'state');
    const args = ['restore', '--repo', repo, '--target', target.url, '--no-gzip', '--concurrency', '1', '--state-dir', stateDir];
    const first = await cli([...args, '--json']);
    expect(first.code, first.stderr).toBe(EXIT.FAILURE);
    const error = first.json.at(-1)!;
    expect(error).toMatchObject({ type: 'error', details: { written: { points: 12, chunks: 3, of: 6, journaled: 3 } } });
    const journal = (error.details as { written: { journal: string } }).written.journal;
    expect(path.dirname(journal)).toBe(stateDir);
    expect(error.hint).toContain('restore --resume');

    refuse = false;
    const resumed = await cli([...args, '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json.at(-1)).toMatchObject({ type: 'summary', chunks: 6, chunksWritten: 3, written: 12, journal: null, resumed: { chunks: 3, points: 12 } });
    expect(resumed.json.some((l) => l.type === 'notice' && String(l.message).includes('3 of 6 chunks and part of 0 more (12 points)'))).toBe(true);
  });

  it('prints what a resumed restore skipped in its human summary', async () => {
    const stateDir = path.join(tmp(), 'state2');
    refuse = true;
    const args = ['restore', '--repo', repo, '--target', target.url, '--no-gzip', '--concurrency', '1', '--state-dir', stateDir, '--shift', '1d'];
    const first = await cli(args);
    expect(first.code).toBe(EXIT.FAILURE);
    expect(first.stderr).toMatch(/restore stopped after writing 12 points and 3 of 6 chunks/);
    expect(first.stderr).toMatch(
      /restore --resume. with the same options skips what is written: 3 whole chunks and the acknowledged points of others \(journal .*state2/,
    );
    refuse = false;
    const resumed = await cli([...args, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(
      /resumed: 3 chunks and part of 0 more \(12 points\) written by the run started at \S+ were skipped; this run wrote 3 chunks/,
    );
  });

  it('refuses --resume with --dry-run', async () => {
    const r = await cli(['restore', '--repo', repo, '--dry-run', '--resume']);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain('--resume does not go with --dry-run');
  });
});
