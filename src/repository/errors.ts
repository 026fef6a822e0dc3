// What can be wrong with a repository or the backups in it.

import { TsdbBackupError, type ErrorOptions } from '../errors.js';

export class RepositoryNotFoundError extends TsdbBackupError {
  constructor(where: string, options?: ErrorOptions) {
    super('REPOSITORY_NOT_FOUND', `no tsdb-backup repository at ${where}`, {
      hint: 'check --repo; a repository is created by the first `tsdb-backup full`',
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
  constructor(key: string, where: string, detail: string, options?: ErrorOptions) {
    super('MANIFEST_INVALID', `manifest ${key} in ${where} is invalid: ${detail}`, options);
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
