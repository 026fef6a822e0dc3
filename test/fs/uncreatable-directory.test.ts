// A directory that cannot be created must fail at once, with a message naming it. Under /proc, Node's
// recursive mkdir never settles on Linux: it spun at 100% CPU and ignored SIGTERM, so `restore --state-dir
// /proc/x` or a `--repo` under /proc hung for ever. Each case runs in a child process that the test kills
// after a deadline, so the old behaviour fails the test instead of hanging the test run.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const DEADLINE_MS = 20_000;

function runScript(source: string): Promise<{ code: number | null; out: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, DEADLINE_MS);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, killed });
    });
  });
}

describe.runIf(existsSync('/proc/self'))('a directory that cannot be created', () => {
  it(
    'LocalStorage.put under /proc fails with a StorageError naming the key, instead of hanging',
    async () => {
      const r = await runScript(`
      import { LocalStorage } from './src/storage/local-storage.ts';
      try {
        await new LocalStorage('/proc/tsdb-backup-test-repo').put('data/ab/cd', new Uint8Array([1]));
        console.log('RESULT written');
      } catch (err) {
        console.log('RESULT', err.constructor.name, err.message);
      }`);
      expect(r.killed, 'the put hung').toBe(false);
      expect(r.out).toMatch(/RESULT StorageError cannot write data\/ab\/cd in .*\/proc\/tsdb-backup-test-repo/);
    },
    DEADLINE_MS + 10_000,
  );

  it(
    'restore --state-dir under /proc exits 2 naming the directory, instead of hanging',
    async () => {
      const r = await runScript(`
      import { runCli } from './src/cli/run-cli.ts';
      import { processIo } from './src/cli/cli-io.ts';
      import { startFakeTsd } from './test/support/fake-tsd/index.ts';
      import { mkdtemp } from 'node:fs/promises';
      import { tmpdir } from 'node:os';
      import path from 'node:path';
      const repo = path.join(await mkdtemp(path.join(tmpdir(), 'tsdb-backup-procdir-')), 'repo');
      const init = await runCli(['init', '--repo', repo, '--insecure-no-encryption'], processIo(new AbortController().signal));
      if (init !== 0) { console.log('RESULT init failed', init); process.exit(0); }
      const tsd = await startFakeTsd({ autoCreateMetrics: true });
      const source = await startFakeTsd({ autoCreateMetrics: true });
      await fetch(source.url + '/api/put', { method: 'POST', body: JSON.stringify({ metric: 'm', tags: { h: 'a' }, timestamp: 1700000000000, value: 1 }) });
      const full = await runCli(['full', '--source', source.url, '--repo', repo, '--start', '1699999990000', '--end', '1700000010000', '--quiet'], processIo(new AbortController().signal));
      if (full !== 0) { console.log('RESULT full failed', full); process.exit(0); }
      const code = await runCli(['restore', '--repo', repo, '--target', tsd.url, '--state-dir', '/proc/tsdb-backup-test-state', '--quiet'], processIo(new AbortController().signal));
      console.log('RESULT exit', code);
      process.exit(0);`);
      expect(r.killed, 'the restore hung').toBe(false);
      expect(r.out).toContain('/proc/tsdb-backup-test-state');
      expect(r.out).toMatch(/RESULT exit (2|10)\b/);
    },
    DEADLINE_MS + 10_000,
  );
});

describe('makeDirectory', () => {
  it('creates the missing levels with the mode, keeps the mode of existing ones, and refuses a file in the way', async () => {
    const { makeDirectory } = await import('../../src/fs/make-directory.js');
    const { chmod, mkdtemp, rm, stat, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const base = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-mkdir-'));
    try {
      await chmod(base, 0o755);
      await makeDirectory(path.join(base, 'a', 'b', 'c'), 0o700);
      await makeDirectory(path.join(base, 'a', 'b', 'c'), 0o700);
      expect((await stat(path.join(base, 'a', 'b', 'c'))).mode & 0o777).toBe(0o700);
      expect((await stat(path.join(base, 'a'))).mode & 0o777).toBe(0o700);
      expect((await stat(base)).mode & 0o777).toBe(0o755);
      await writeFile(path.join(base, 'file'), 'x');
      await expect(makeDirectory(path.join(base, 'file'), 0o700)).rejects.toMatchObject({ code: 'EEXIST' });
      await expect(makeDirectory(path.join(base, 'file', 'sub'), 0o700)).rejects.toMatchObject({ code: 'ENOTDIR' });
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
