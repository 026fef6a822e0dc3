// A target TSD that accepts only small request bodies (no chunked requests: 8 KiB) caps a restore's speed at
// its request rate; the restore says so, and what to change, before it writes. --quiet hides the advice, --json
// carries it as a notice event, and a target that accepts large bodies gets none.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';

const T0 = Date.UTC(2026, 5, 1);

describe('restore into a target whose request settings cap the speed', () => {
  let source: FakeTsd;
  let small: FakeTsd;
  let large: FakeTsd;
  let dir: string;
  beforeAll(async () => {
    [source, small, large] = await Promise.all([
      startFakeTsd({ autoCreateMetrics: true }),
      startFakeTsd(),
      startFakeTsd({ enableChunked: true, maxChunk: 1 << 20 }),
    ]);
    await putPoints(
      source.url,
      Array.from({ length: 50 }, (_, i) => ({ metric: 'speed.metric', tags: { host: 'a' }, timestamp: T0 + i * 1000, value: String(i) })),
    );
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-notice-'));
    await initRepo(dir);
    const b = await cli(['full', '--source', source.url, '--repo', dir, '--start', String(T0), '--end', String(T0 + 60_000), '--quiet']);
    expect(b.code, b.stderr).toBe(0);
  });
  afterAll(async () => {
    await Promise.all([source.close(), small.close(), large.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('names the setting and what to change when bodies are limited to 8 KiB', async () => {
    const r = await cli(['restore', '--repo', dir, '--target', small.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/note: .*8 KiB.*tsd\.http\.request\.enable_chunked=true.*tsd\.http\.request\.max_chunk=1048576/s);
  });

  it('is a notice event with --json, and silent with --quiet', async () => {
    const j = await cli(['restore', '--repo', dir, '--target', small.url, '--json']);
    expect(j.code, j.stderr).toBe(0);
    const notices = j.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; message?: string })
      .filter((e) => e.type === 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.message).toContain('enable_chunked');
    const q = await cli(['restore', '--repo', dir, '--target', small.url, '--quiet']);
    expect(q.code).toBe(0);
    expect(q.stderr).toBe('');
  });

  it('says nothing when the target accepts large bodies', async () => {
    const r = await cli(['restore', '--repo', dir, '--target', large.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/note:/);
  });
});
