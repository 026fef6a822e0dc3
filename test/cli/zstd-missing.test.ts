import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { runShell } from '../support/run-shell.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/tsdb-backup.js');
const NO_ZSTD = path.resolve(import.meta.dirname, '../support/no-zstd.mjs');

/** The built CLI, optionally with node flags (here: a preload that hides zstd-napi). */
async function run(args: string[], nodeArgs: string[] = []): Promise<{ code: number | null; out: string; err: string }> {
  const r = await runShell([process.execPath, ...nodeArgs, BIN, ...args].map((a) => `'${a}'`).join(' '));
  return { code: r.code, out: r.stdout, err: r.stderr };
}

// A zstd-napi that cannot be loaded (not installed, or built for another Node.js) is an installation problem:
// it must never read as a damaged repository (review).
describe('zstd-napi that cannot be loaded', () => {
  it('is reported as an installation problem, not as a damaged repository', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'zstd-missing-'));
    const tsd = await startFakeTsd({ autoCreateMetrics: true });
    try {
      const repo = path.join(dir, 'repo');
      const start = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;
      await putPoints(
        tsd.url,
        Array.from({ length: 60 }, (_, i) => ({ metric: 'sys.cpu.user', tags: { host: 'a' }, timestamp: start + i * 60_000, value: String(i) })),
      );
      expect((await run(['init', '--repo', repo, '--insecure-no-encryption'])).code).toBe(0);
      expect((await run(['full', '--source', tsd.url, '--repo', repo, '--start', String(start), '--quiet'])).code).toBe(0);
      expect((await run(['verify', '--repo', repo])).code).toBe(0);
      // the same repository, the addon missing
      const full = await run(['full', '--source', tsd.url, '--repo', repo, '--start', String(start), '--quiet'], ['--import', NO_ZSTD]);
      expect(full.code).toBe(1);
      expect(full.err).toMatch(/cannot load zstd-napi/);
      expect(full.err).toMatch(/npm rebuild zstd-napi/);
      const v = await run(['verify', '--repo', repo], ['--import', NO_ZSTD]);
      expect(v.code).toBe(1); // not 4, EXIT.DAMAGED: "the repository is damaged: a chunk is missing or corrupt"
      expect(v.err + v.out).not.toMatch(/damaged/);
      expect(v.err).toMatch(/cannot load zstd-napi/);
      // the repository was never touched: with the addon back it verifies
      expect((await run(['verify', '--repo', repo])).code).toBe(0);
    } finally {
      await tsd.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
