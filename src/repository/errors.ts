// What can be wrong with a repository or the backups in it.

import { TsdbBackupError, type ErrorOptions } from '../errors.js';

export class RepositoryNotFoundError extends TsdbBackupError {
  constructor(where: string, options?: ErrorOptions) {
    super('REPOSITORY_NOT_FOUND', `no tsdb-backup repository at ${where}`, {
      hint: 'check --repo; create a repository with `tsdb-backup init --repo ...`',
      ...options,
    });
  }
}

/** The location is a repository (it has a config.json), but that file cannot be read as one. */
export class RepositoryDamagedError extends TsdbBackupError {
  constructor(where: string, detail: string, options?: ErrorOptions) {
    super('REPOSITORY_DAMAGED', `the repository at ${where} is damaged: ${detail}`, {
      hint: 'restore config.json from a copy of the repository, or move the repository aside; tsdb-backup will not overwrite it',
      ...options,
    });
  }
}

export class BackupNotFoundError extends TsdbBackupError {
  constructor(message: string, options?: ErrorOptions) {
    super('BACKUP_NOT_FOUND', message, { hint: 'run `tsdb-backup list` to see the backups', ...options });
  }
}

export class ManifestInvalidError extends TsdbBackupError {
  constructor(key: string, where: string, detail: string, options?: ErrorOptions & { what?: string }) {
    super('MANIFEST_INVALID', `${options?.what ?? 'manifest'} ${key} in ${where} is invalid: ${detail}`, options);
  }
}

export class ChunkCorruptError extends TsdbBackupError {
  constructor(key: string, where: string, detail: string, options?: ErrorOptions) {
    super('CHUNK_CORRUPT', `chunk ${key} in ${where} is corrupt: ${detail}`, options);
  }
}

export class ChunkMissingError extends TsdbBackupError {
  constructor(key: string, where: string, options?: ErrorOptions) {
    super('CHUNK_MISSING', `chunk ${key} is missing from ${where}`, options);
  }
}

/** `init` on a location that already holds a repository. */
export class RepositoryExistsError extends TsdbBackupError {
  constructor(where: string, options?: ErrorOptions) {
    super('REPOSITORY_EXISTS', `a tsdb-backup repository already exists at ${where}`, { hint: 'use it as it is, or choose another --repo', ...options });
  }
}

export class PasswordRequiredError extends TsdbBackupError {
  constructor(message: string, options?: ErrorOptions) {
    super('PASSWORD_REQUIRED', message, {
      hint: 'give the password in TSDB_BACKUP_PASSWORD, --password-file FILE or --password-command CMD',
      ...options,
    });
  }
}

export class WrongPasswordError extends TsdbBackupError {
  constructor(where: string, keys: number, options?: ErrorOptions) {
    super('WRONG_PASSWORD', `the password opens none of the ${keys} key${keys === 1 ? '' : 's'} of the encrypted repository at ${where}`, {
      hint: 'check the password source (TSDB_BACKUP_PASSWORD, --password-file, --password-command); `tsdb-backup key list` shows the keys once one password works',
      ...options,
    });
  }
}

/** An encrypted object whose bytes do not authenticate: changed after they were written, by tampering or damage. */
export class ObjectTamperedError extends TsdbBackupError {
  constructor(what: string, key: string, where: string, reason: string, options?: ErrorOptions) {
    super(
      'TAMPERED',
      `${what} ${key} in ${where} failed authentication (${reason}): its bytes were changed after they were written, by tampering or storage damage`,
      {
        hint: 'do not trust this object; run `tsdb-backup verify --all` to find every one, and restore the repository from a copy',
        ...options,
      },
    );
  }
}

/** Manifests that cannot be read: tampering (exit 15) when one failed authentication, else damage (exit 4). */
export function unreadableCode(errors: readonly Error[]): 'TAMPERED' | 'MANIFEST_INVALID' {
  return errors.some((e) => e instanceof TsdbBackupError && e.code === 'TAMPERED') ? 'TAMPERED' : 'MANIFEST_INVALID';
}
