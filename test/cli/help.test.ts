// --help as an operator meets it: an example per command, the exit codes once, only the options a command uses.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/run-cli-in-process.js';
import { runShell } from '../support/run-shell.js';

const COMMANDS = [
  'init',
  'key list',
  'key add',
  'key remove',
  'key passwd',
  'full',
  'incremental',
  'list',
  'verify',
  'restore',
  'export',
  'prune',
  'schedule',
  'unlock',
  'replicate',
  'failover',
  'failback',
  'health',
];
const UPLOAD_ONLY = ['--s3-sse', '--s3-kms-key-id', '--s3-storage-class', '--s3-part-size-mb', '--s3-queue-size', '--no-s3-content-md5'];

describe('--help', () => {
  it('the main help lists the exit codes', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes/i);
  });

  it.each(COMMANDS)('%s --help shows an example and not the exit-code table', async (command) => {
    const r = await cli([...command.split(' '), '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Examples?:\\n(  .*\\n)*  tsdb-backup ${command} `));
    expect(r.stdout).not.toMatch(/Exit codes/i);
  });

  it.each(['list', 'verify', 'restore', 'export', 'unlock', 'key list'])('%s (read-only) does not offer the upload-only S3 options', async (command) => {
    const r = await cli([...command.split(' '), '--help']);
    for (const flag of UPLOAD_ONLY) expect(r.stdout).not.toContain(flag);
    expect(r.stdout).toContain('--s3-endpoint');
  });

  it.each(['full', 'incremental', 'init', 'prune', 'key add'])('%s (writes) offers them', async (command) => {
    const r = await cli([...command.split(' '), '--help']);
    for (const flag of UPLOAD_ONLY) expect(r.stdout).toContain(flag);
  });

  it('an unknown command names the nearest one, not the whole help', async () => {
    const r = await cli(['restor', '--repo', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'restor'");
    expect(r.stderr).toContain('Did you mean restore?');
    expect(r.stderr).not.toContain('Commands:');
  });
});

describe('the launcher with a reader that stops early', () => {
  const BIN = path.resolve(import.meta.dirname, '../../bin/tsdb-backup.js');

  it.each(['full --help', '--help', 'list --help'])('`tsdb-backup %s | head -1` ends quietly, without an EPIPE crash', async (line) => {
    const args = line.split(' ');
    // The reader closes before the help is written (as `head -1` does once it has its line), so the write fails with EPIPE.
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stdout.destroy();
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('a shell pipeline into head -1 prints the usage line and no error', async () => {
    const r = await runShell(`"${process.execPath}" "${BIN}" full --help | head -1`);
    expect(r.stdout).toMatch(/^Usage: tsdb-backup full/);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
