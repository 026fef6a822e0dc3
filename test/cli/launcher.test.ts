// bin/tsdb-backup.js as an operator runs it: a real process, its exit code and its stderr.

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
        expect(urls.some((u) => u.includes('/dist/cli/run-cli.js')), args.join(' ')).toBe(true);
        expect(urls.filter((u) => u.includes('@aws-sdk')), args.join(' ')).toEqual([]);
        // nor the HTTP client (loaded at the first request to a TSD) nor the spinner (a terminal's only)
        expect(urls.filter((u) => /node_modules\/(undici|ora)\//.test(u)), args.join(' ')).toEqual([]);
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

  // Start-up cost (issue 12): a command loads its own module and what it uses, not the other commands' nor
  // the libraries only they need; --version loads no command at all.
  it('--version loads no command module nor zod; a no-op incremental of a local repository loads only its own command, and neither undici nor cron-parser', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-imports-'));
    const tsd = await startFakeTsd({ autoCreateMetrics: true });
    try {
      const loaded = async (args: string[]): Promise<string[]> => {
        const file = path.join(dir, `imports-${args[0]}-${Math.random()}`);
        const r = await run(args, { RECORD_IMPORTS_FILE: file }, ['--import', RECORD_IMPORTS]);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        return (await readFile(file, 'utf8')).split('\n').filter(Boolean);
      };
      const commandModules = (urls: string[]): string[] => [...new Set(urls.filter((u) => u.includes('/dist/cli/commands/')).map((u) => u.replace(/.*\/dist\/cli\/commands\//, '')))];

      const version = await loaded(['--version']);
      expect(commandModules(version)).toEqual([]);
      expect(version.filter((u) => /node_modules\/zod\//.test(u))).toEqual([]);

      const start = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;
      await putPoints(tsd.url, Array.from({ length: 60 }, (_, i) => ({ metric: 'sys.cpu.user', tags: { host: 'a' }, timestamp: start + i * 60_000, value: String(i) })));
      const repo = path.join(dir, 'repo');
      expect((await run(['init', '--repo', repo, '--insecure-no-encryption'], {})).code).toBe(0);
      expect((await run(['full', '--source', tsd.url, '--repo', repo, '--start', String(start), '--quiet'], {})).code).toBe(0);
      const incremental = await loaded(['incremental', '--source', tsd.url, '--repo', repo, '--quiet']);
      expect(commandModules(incremental)).toEqual(['backup-commands.js']);
      // undici is the fallback for what node:http does not do (compressed answers, redirects); cron-parser is
      // for a config file's schedules.
      expect(incremental.filter((u) => /node_modules\/(undici|cron-parser|ora|@aws-sdk)\//.test(u))).toEqual([]);
    } finally {
      await tsd.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
