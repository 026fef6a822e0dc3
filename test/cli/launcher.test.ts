// bin/tsdb-backup.js as an operator runs it: a real process, its exit code and its stderr.

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/tsdb-backup.js');

const RECORD_IMPORTS = path.resolve(import.meta.dirname, '../support/record-imports.mjs');

function run(args: string[], env: Record<string, string>, nodeArgs: string[] = []): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('the launcher', () => {
  let s3: S3TestServer;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it('prints only its own message on an S3 command, not the AWS SDK Node-version warning', async () => {
    const r = await run(['list', '--repo', `s3://${s3.bucket}/nothing-here`, '--s3-endpoint', s3.endpoint, '--s3-force-path-style'], {
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_REGION: s3.region,
    });
    expect(r.code).toBe(10);
    expect(r.stderr).toMatch(/^tsdb-backup: no tsdb-backup repository at s3:\/\//);
    expect(r.stderr).not.toContain('NodeVersionSupportWarning');
  });

  // The S3 storage is a lazy chunk of the bundle that imports the AWS SDK from node_modules: a whole backup goes
  // through it (multipart-capable uploads, listing, reading back) and verify decodes every chunk (zstd).
  it('the bundled CLI backs up to an s3:// repository and verifies it', async () => {
    const tsd = await startFakeTsd({ autoCreateMetrics: true });
    try {
      const env = { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region };
      const repo = ['--repo', `s3://${s3.bucket}/bundled-${Math.random().toString(36).slice(2)}`, '--s3-endpoint', s3.endpoint, '--s3-force-path-style'];
      const start = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;
      await putPoints(
        tsd.url,
        Array.from({ length: 60 }, (_, i) => ({ metric: 'sys.cpu.user', tags: { host: 'a' }, timestamp: start + i * 60_000, value: String(i) })),
      );
      for (const args of [
        ['init', ...repo, '--insecure-no-encryption'],
        ['full', '--source', tsd.url, ...repo, '--start', String(start), '--quiet'],
        ['verify', ...repo],
      ]) {
        const r = await run(args, env);
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
      }
    } finally {
      await tsd.close();
    }
  });

  it('loads the AWS SDK only for an s3:// repository, undici only for a TSD request that needs it, ora on a terminal (--version, --help and local repositories start without them)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-imports-'));
    try {
      const loaded = async (args: string[], env: Record<string, string> = {}): Promise<string[]> => {
        const file = path.join(dir, `imports-${args[0]}-${Math.random()}`);
        await run(args, { ...env, RECORD_IMPORTS_FILE: file }, ['--import', RECORD_IMPORTS]);
        return (await readFile(file, 'utf8')).split('\n').filter(Boolean);
      };
      for (const args of [['--version'], ['--help'], ['list', '--repo', path.join(dir, 'none')], ['unlock', '--repo', path.join(dir, 'none')]]) {
        const urls = await loaded(args);
        expect(
          urls.some((u) => u.includes('/dist/bundle/cli.js')),
          args.join(' '),
        ).toBe(true);
        expect(
          urls.filter((u) => u.includes('@aws-sdk')),
          args.join(' '),
        ).toEqual([]);
        // nor the HTTP client (loaded at the first request to a TSD) nor the spinner (a terminal's only)
        expect(
          urls.filter((u) => /node_modules\/(undici|ora)\//.test(u)),
          args.join(' '),
        ).toEqual([]);
      }
      const s3Urls = await loaded(['list', '--repo', `s3://${s3.bucket}/nothing-here`, '--s3-endpoint', s3.endpoint, '--s3-force-path-style'], {
        AWS_ACCESS_KEY_ID: s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
        AWS_REGION: s3.region,
      });
      expect(s3Urls.some((u) => u.includes('@aws-sdk/client-s3'))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // Start-up cost (issue 12): bin/ runs the bundle of scripts/bundle-cli.mjs. --version compiles no command;
  // a command loads the one chunk of all the commands and what they use, but not the libraries only some
  // commands need (S3 repositories, a config file's schedules), which stay lazy chunks or external packages.
  // Which src/ modules a process compiled is read from the source maps of the bundle's files it loaded.
  it('--version loads no command module; a no-op incremental of a local repository loads the commands but neither the S3 storage, the schedules, undici, cron-parser, zstd-napi nor node:tls', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-imports-'));
    const tsd = await startFakeTsd({ autoCreateMetrics: true });
    try {
      const loaded = async (args: string[]): Promise<string[]> => {
        const file = path.join(dir, `imports-${args[0]}-${Math.random()}`);
        const r = await run(args, { RECORD_IMPORTS_FILE: file }, ['--import', RECORD_IMPORTS]);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        return (await readFile(file, 'utf8')).split('\n').filter(Boolean);
      };
      /** The src/ modules in the bundle's files among `urls`, e.g. 'cli/commands/init.ts'. */
      const srcModules = async (urls: string[]): Promise<string[]> => {
        const bundled = [...new Set(urls.filter((u) => u.includes('/dist/bundle/')))];
        expect(bundled.some((u) => u.endsWith('/dist/bundle/cli.js'))).toBe(true);
        const sources = await Promise.all(
          bundled.map(async (u) => (JSON.parse(await readFile(`${fileURLToPath(u)}.map`, 'utf8')) as { sources: string[] }).sources),
        );
        return sources
          .flat()
          .filter((s) => s.startsWith('../../src/'))
          .map((s) => s.slice('../../src/'.length));
      };
      // No module of dist/ but the bundle's: a module loaded twice would be two copies of its classes and state.
      const unbundled = (urls: string[]): string[] => urls.filter((u) => u.includes('/dist/') && !u.includes('/node_modules/') && !u.includes('/dist/bundle/'));

      const version = await loaded(['--version']);
      expect(unbundled(version)).toEqual([]);
      const versionModules = await srcModules(version);
      expect(versionModules).toContain('cli/run-cli.ts');
      expect(versionModules.filter((m) => m.startsWith('cli/commands/'))).toEqual([]);

      const start = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;
      await putPoints(
        tsd.url,
        Array.from({ length: 60 }, (_, i) => ({ metric: 'sys.cpu.user', tags: { host: 'a' }, timestamp: start + i * 60_000, value: String(i) })),
      );
      const repo = path.join(dir, 'repo');
      expect((await run(['init', '--repo', repo, '--insecure-no-encryption'], {})).code).toBe(0);
      expect((await run(['full', '--source', tsd.url, '--repo', repo, '--start', String(start), '--quiet'], {})).code).toBe(0);
      const incremental = await loaded(['incremental', '--source', tsd.url, '--repo', repo, '--quiet']);
      expect(unbundled(incremental)).toEqual([]);
      const incrementalModules = await srcModules(incremental);
      expect(incrementalModules).toContain('cli/commands/backup-commands.ts');
      expect(incrementalModules.filter((m) => /^storage\/s3-(storage|client)\.ts$|^schedule\//.test(m))).toEqual([]);
      // undici is the fallback for what node:http does not do (compressed answers, redirects); cron-parser is
      // for a config file's schedules; zstd-napi (a native addon) for the first chunk to write or read.
      expect(incremental.filter((u) => /node_modules\/(undici|cron-parser|ora|@aws-sdk|zstd-napi)\//.test(u))).toEqual([]);
      // node:https and node:tls are for a TSD or a --client-cert over TLS; this one is plain HTTP.
      expect(incremental.filter((u) => /^node:(https|tls)$/.test(u))).toEqual([]);
    } finally {
      await tsd.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs from any working directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-cwd-'));
    try {
      const out = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, '--version'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.once('error', reject);
        child.once('exit', (code) => resolve({ code, stdout }));
      });
      const pkg = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
      expect(out).toEqual({ code: 0, stdout: `${pkg.version}\n` });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
