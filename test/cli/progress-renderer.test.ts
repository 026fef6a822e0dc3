// The progress line: totals and percentage from the plan, an ETA, the metric and window at hand, a
// rate over the last seconds (not since the start), and a line while waiting for a lock.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/repository/lock.js';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { formatExact } from '../../src/cli/format-numbers.js';
import { createProgressRenderer } from '../../src/cli/progress-renderer.js';

function fakeIo() {
  let now = Date.UTC(2026, 10, 29, 12);
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: (t) => (out.stdout += t),
    writeStdout: async (t) => void (out.stdout += t),
    stderr: (t) => (out.stderr += t),
    isTTY: false,
    cwd: '/',
    env: {},
    now: () => new Date(now),
  };
  return { io, out, advance: (ms: number) => (now += ms) };
}

describe('progress', () => {
  it('shows percentage, ETA, the current metric and window, and a rate over the last seconds', () => {
    const { io, out, advance } = fakeIo();
    const r = createProgressRenderer(io, { json: false, verb: 'restore', intervalMs: 1000 });
    r.report({ type: 'plan', metrics: 2, chunks: 4 });
    advance(60_000);
    r.report({ type: 'written', metric: 'slow.start', points: 600, failed: 0 }); // 10 points/s over the first minute
    advance(1000);
    r.report({ type: 'written', metric: 'sys.cpu', points: 2000, failed: 0 }); // then 2,000 in a second
    const last = out.stderr.trim().split('\n').at(-1)!;
    expect(last).toMatch(/restore: 50\.0% 0\/2 metrics, 2\/4 chunks, 2600 points, /);
    // over the rate window (20 s: the first sample is 1 s old) the rate is 2,000/s, not 2,600/61 s = 43/s
    expect(last).toContain('2000 points/s');
    expect(last).toContain('ETA 1m1s');
    expect(last).toContain('at sys.cpu');
  });

  it('names the window a backup is reading, and prints JSON progress objects with the same figures', () => {
    const { io, out, advance } = fakeIo();
    const r = createProgressRenderer(io, { json: true, verb: 'backup', intervalMs: 1000 });
    r.report({ type: 'plan', metrics: 4 });
    advance(2000);
    r.report({ type: 'window', metric: 'sys.mem', start: 1_000, end: 61_000 });
    r.report({ type: 'chunk', metric: 'sys.mem', points: 100, bytes: 50, series: 1 });
    r.report({ type: 'metric-done', metric: 'sys.mem', points: 100 });
    advance(1000);
    r.report({ type: 'metric-done', metric: 'sys.other', points: 0 });
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({
      type: 'progress',
      metrics: 4,
      metricsDone: 2,
      percent: 50,
      etaMs: 3000,
      metric: 'sys.mem',
      start: 1_000,
      end: 61_000,
      points: 100,
    });
  });

  it('says who holds the lock it waits for, at most once per interval', () => {
    const { io, out, advance } = fakeIo();
    const r = createProgressRenderer(io, { json: false, verb: 'backup', intervalMs: 10_000 });
    r.report({ type: 'lock-wait', holder: "'prune' (pid 7 on h, exclusive)", waitedMs: 0, waitMs: 600_000 });
    advance(5000);
    r.report({ type: 'lock-wait', holder: "'prune' (pid 7 on h, exclusive)", waitedMs: 5000, waitMs: 600_000 });
    advance(5000);
    r.report({ type: 'lock-wait', holder: "'prune' (pid 7 on h, exclusive)", waitedMs: 10_000, waitMs: 600_000 });
    expect(
      out.stderr
        .trim()
        .split('\n')
        .map((l) => l.replace(/^\S+ /, '')),
    ).toEqual([
      "backup: waiting for the repository's lock, held by 'prune' (pid 7 on h, exclusive) (0 ms of --wait-lock 10m0s)",
      "backup: waiting for the repository's lock, held by 'prune' (pid 7 on h, exclusive) (10.0 s of --wait-lock 10m0s)",
    ]);
  });

  it('a command waiting with --wait-lock says so (text and --json), then gives up with exit 11', async () => {
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-lockwait-'));
    try {
      await initRepo(repo);
      const lock = await acquireLock(new LocalStorage(repo), { kind: 'exclusive', command: 'prune' });
      try {
        const text = await cli(['verify', '--repo', repo, '--wait-lock', '1s']);
        expect(text.code).toBe(11);
        expect(text.stderr).toMatch(/verify: waiting for the repository's lock, held by 'prune' \(pid \d+ on .*, exclusive\) \(\d+ ms of --wait-lock 1.0 s\)/);
        const json = await cli(['verify', '--repo', repo, '--wait-lock', '1s', '--json']);
        expect(json.code).toBe(11);
        expect(json.json[0]).toMatchObject({ type: 'progress', phase: 'lock-wait', holder: expect.stringContaining("'prune'"), waitMs: 1000 });
        expect(json.json.at(-1)).toMatchObject({ type: 'error', exitCode: 11 });
      } finally {
        await lock.release();
      }
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  it('every command that waits for the lock says so: prune, key, show, diff (text and --json)', async () => {
    const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-lockwait-'));
    try {
      await initRepo(repo);
      const cases: Array<{ args: string[]; verb: string; lock: 'exclusive' | 'shared' }> = [
        { args: ['prune', '--keep-last', '1'], verb: 'prune', lock: 'shared' },
        { args: ['key', 'list'], verb: 'key list', lock: 'exclusive' },
        { args: ['show'], verb: 'show', lock: 'exclusive' },
        { args: ['diff', '20261129T120000Z-a1b2c3', '20261129T130000Z-a1b2c4'], verb: 'diff', lock: 'exclusive' },
      ];
      for (const c of cases) {
        const lock = await acquireLock(new LocalStorage(repo), { kind: c.lock, command: 'backup' });
        try {
          const text = await cli([...c.args, '--repo', repo, '--wait-lock', '1s']);
          expect(text.code, c.verb).toBe(11);
          expect(text.stderr, c.verb).toContain(`${c.verb}: waiting for the repository's lock, held by 'backup'`);
          const json = await cli([...c.args, '--repo', repo, '--wait-lock', '1s', '--json']);
          expect(json.code, c.verb).toBe(11);
          expect(json.json[0], c.verb).toMatchObject({ type: 'progress', phase: 'lock-wait', holder: expect.stringContaining("'backup'"), waitMs: 1000 });
          const quiet = c.verb === 'prune' ? await cli([...c.args, '--repo', repo, '--wait-lock', '1s', '--quiet']) : undefined;
          if (quiet) expect(quiet.stderr).not.toContain('waiting');
        } finally {
          await lock.release();
        }
      }
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  it('a terminal that reports no width gets log lines, not a spinner (ora would clear lines forever)', () => {
    const { io, out, advance } = fakeIo();
    const columns = Object.getOwnPropertyDescriptor(process.stderr, 'columns');
    Object.defineProperty(process.stderr, 'columns', { value: 0, configurable: true });
    try {
      const r = createProgressRenderer({ ...io, isTTY: true }, { json: false, verb: 'verify', intervalMs: 1 });
      r.report({ type: 'phase', phase: 'check' });
      advance(10);
      r.report({ type: 'chunk', metric: 'm', points: 5, bytes: 10, series: 1 });
      r.stop();
      expect(out.stderr).toContain('verify: check');
      expect(out.stderr).toMatch(/verify: .*1 chunks, 5 points/);
    } finally {
      if (columns) Object.defineProperty(process.stderr, 'columns', columns);
      else delete (process.stderr as { columns?: number }).columns;
    }
  });

  it('prints nothing but warnings with --quiet', () => {
    const { io, out, advance } = fakeIo();
    const r = createProgressRenderer(io, { json: false, verb: 'backup', intervalMs: 1, quiet: true });
    r.report({ type: 'phase', phase: 'discover' });
    r.report({ type: 'lock-wait', holder: 'x', waitedMs: 0, waitMs: 1000 });
    advance(10);
    r.report({ type: 'chunk', metric: 'm', points: 1, bytes: 1, series: 1 });
    r.report({ type: 'retry', message: 'the TSD answered 503' });
    expect(out.stderr).toBe('');
    r.report({ type: 'warning', message: 'an annotation is not backed up' });
    expect(out.stderr).toBe('warning: an annotation is not backed up\n');
  });

  it('final summaries give exact counts', () => {
    expect(formatExact(18_012)).toBe('18,012');
    expect(formatExact(1_234_567_890)).toBe('1,234,567,890');
    expect(formatExact(7)).toBe('7');
  });
});
