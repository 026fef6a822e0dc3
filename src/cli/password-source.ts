// Where the repository password comes from: never a plain option (it would show in `ps` and crontabs).
// In this order: --password-file, --password-command, then the environment (TSDB_BACKUP_PASSWORD_FILE,
// TSDB_BACKUP_PASSWORD_COMMAND, TSDB_BACKUP_PASSWORD), then a prompt when a terminal is attached.
// The password is read only when an encrypted repository asks for it, and at most once.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { PasswordRequiredError } from '../repository/errors.js';
import type { PasswordSource } from '../repository/key-store.js';
import type { CliIo } from './cli-io.js';

export interface PasswordOptionValues {
  passwordFile?: string;
  passwordCommand?: string;
}

const COMMAND_TIMEOUT_MS = 120_000;

/** A password file holds the password and at most one line break after it, which is not part of it. */
function withoutLineBreak(text: string): string {
  return text.replace(/\r?\n$/, '');
}

export async function readPasswordFile(file: string, io: CliIo, flag: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (err) {
    throw new UsageError(`${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const password = withoutLineBreak(text);
  if (!password) throw new UsageError(`${flag} ${file}: the file is empty`);
  return password;
}

export function runPasswordCommand(command: string, io: CliIo, flag: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      '/bin/sh',
      ['-c', command],
      { cwd: io.cwd, env: { ...process.env, ...io.env }, timeout: COMMAND_TIMEOUT_MS, maxBuffer: 1024 * 1024, signal: io.signal },
      (err, stdout, stderr) => {
        if (err) {
          const last = String(stderr).trim().split('\n').at(-1)?.slice(0, 200);
          const how = (err as { killed?: boolean }).killed
            ? `did not finish within ${COMMAND_TIMEOUT_MS / 1000} s`
            : `failed (exit ${(err as { code?: unknown }).code ?? '?'})`;
          reject(new PasswordRequiredError(`the password command (${flag}) ${how}${last ? `: ${last}` : ''}`));
          return;
        }
        const password = withoutLineBreak(String(stdout));
        if (!password) reject(new PasswordRequiredError(`the password command (${flag}) printed nothing`));
        else resolve(password);
      },
    );
  });
}

function once(get: () => Promise<string>, expectsEncryption: boolean): PasswordSource {
  let p: Promise<string> | undefined;
  return Object.assign(() => (p ??= get()), { expectsEncryption });
}

/** Whether the operator gave a password (options or environment), as opposed to none (a prompt may still ask). */
export function passwordConfigured(o: PasswordOptionValues, io: CliIo): boolean {
  const e = io.env;
  return (
    o.passwordFile !== undefined ||
    o.passwordCommand !== undefined ||
    Boolean(e.TSDB_BACKUP_PASSWORD_FILE || e.TSDB_BACKUP_PASSWORD_COMMAND || e.TSDB_BACKUP_PASSWORD)
  );
}

/** The repository password, as the options and environment give it. */
export function passwordSource(o: PasswordOptionValues, io: CliIo): PasswordSource {
  if (o.passwordFile !== undefined && o.passwordCommand !== undefined) throw new UsageError('give either --password-file or --password-command, not both');
  const env = io.env;
  return once(
    async () => {
      if (o.passwordFile !== undefined) return readPasswordFile(o.passwordFile, io, '--password-file');
      if (o.passwordCommand !== undefined) return runPasswordCommand(o.passwordCommand, io, '--password-command');
      if (env.TSDB_BACKUP_PASSWORD_FILE) return readPasswordFile(env.TSDB_BACKUP_PASSWORD_FILE, io, 'TSDB_BACKUP_PASSWORD_FILE');
      if (env.TSDB_BACKUP_PASSWORD_COMMAND) return runPasswordCommand(env.TSDB_BACKUP_PASSWORD_COMMAND, io, 'TSDB_BACKUP_PASSWORD_COMMAND');
      if (env.TSDB_BACKUP_PASSWORD) return env.TSDB_BACKUP_PASSWORD;
      if (io.readPassword) {
        const typed = await io.readPassword('repository password: ');
        if (typed) return typed;
      }
      throw new PasswordRequiredError('the repository is encrypted and no password was given');
    },
    passwordConfigured(o, io),
  );
}

/**
 * A new password (init, key add, key passwd): --new-password-file, TSDB_BACKUP_NEW_PASSWORD, or typed
 * twice at a terminal. For init, the usual password sources give it.
 */
export async function newPassword(o: { newPasswordFile?: string }, io: CliIo): Promise<string> {
  if (o.newPasswordFile !== undefined) return readPasswordFile(o.newPasswordFile, io, '--new-password-file');
  if (io.env.TSDB_BACKUP_NEW_PASSWORD) return io.env.TSDB_BACKUP_NEW_PASSWORD;
  return typedTwice(io, 'new password', 'give it in --new-password-file or TSDB_BACKUP_NEW_PASSWORD');
}

export async function typedTwice(io: CliIo, what: string, otherwise: string): Promise<string> {
  if (!io.readPassword) throw new PasswordRequiredError(`no ${what} was given and there is no terminal to ask on`, { hint: otherwise });
  const first = await io.readPassword(`${what}: `);
  if (!first) throw new UsageError(`the ${what} must not be empty`);
  const again = await io.readPassword(`${what} again: `);
  if (again !== first) throw new UsageError(`the two passwords typed differ (${what}); nothing was changed`);
  return first;
}
