// Options every command that opens a repository shares, and the Storage they describe.

import type { Command } from 'commander';
import { openStorage } from '../storage/open-storage.js';
import { parseS3Options, type S3Options } from '../storage/s3-options.js';
import type { Storage } from '../storage/storage.js';
import type { PasswordSource } from '../repository/key-store.js';
import type { CliIo } from './cli-io.js';
import { passwordSource, type PasswordOptionValues } from './password-source.js';
import { DURATION_BOUNDS, duration, positiveInt } from './option-parsers.js';

export interface RepositoryOptionValues extends PasswordOptionValues {
  repo: string;
  waitLock?: string;
  statusFile?: string;
  s3Endpoint?: string;
  s3Region?: string;
  s3ForcePathStyle?: boolean;
  s3Sse?: string;
  s3KmsKeyId?: string;
  s3StorageClass?: string;
  s3PartSizeMb?: number;
  s3QueueSize?: number;
  s3ContentMd5?: boolean;
}

export function addRepositoryOptions(cmd: Command, what: { lock?: boolean; noLock?: boolean; status?: boolean } = {}): Command {
  cmd.requiredOption('--repo <path|url>', 'repository: a directory, or s3://bucket/prefix (created by `tsdb-backup init`)');
  cmd
    .option('--password-file <file>', 'encrypted repository: read the password from this file (or TSDB_BACKUP_PASSWORD_FILE; default: TSDB_BACKUP_PASSWORD, or a prompt at a terminal)')
    .option('--password-command <cmd>', 'encrypted repository: run this shell command and read the password from its output, e.g. a Vault or pass call (or TSDB_BACKUP_PASSWORD_COMMAND)');
  if (what.lock) cmd.option('--wait-lock <duration>', 'wait up to this long for another run to release the repository lock (default: fail at once)', duration('--wait-lock', DURATION_BOUNDS.waitLock));
  if (what.noLock) cmd.option('--no-lock', 'do not lock the repository (a read-only copy or read-only credentials); a concurrent prune could then remove what this run reads');
  if (what.status) cmd.option('--status-file <path>', 'write the outcome of this run for monitoring: JSON, or Prometheus text format if the name ends in .prom');
  return cmd
    .option('--s3-endpoint <url>', 'S3-compatible endpoint (MinIO, Ceph, ...), e.g. http://minio:9000; credentials come from the AWS SDK default chain')
    .option('--s3-region <region>', 'S3 region (default: AWS_REGION or the profile)')
    .option('--s3-force-path-style', 'path-style S3 requests (endpoint/bucket/key), needed by most S3-compatible stores')
    .option('--s3-sse <mode>', 'server-side encryption: AES256 (SSE-S3) or aws:kms (SSE-KMS)')
    .option('--s3-kms-key-id <id>', 'KMS key for --s3-sse aws:kms (default: the account key)')
    .option('--s3-storage-class <class>', 'storage class of new objects, e.g. STANDARD_IA')
    .option('--s3-part-size-mb <n>', 'multipart upload part size (default 8, minimum 5)', positiveInt('--s3-part-size-mb', 5120))
    .option('--s3-queue-size <n>', 'multipart parts uploaded at once (default 4)', positiveInt('--s3-queue-size', 64))
    .option('--no-s3-content-md5', 'do not send Content-MD5 with uploads (for stores that reject it)');
}

export function s3OptionsFrom(o: RepositoryOptionValues): S3Options {
  const s3: Record<string, unknown> = {
    endpoint: o.s3Endpoint,
    region: o.s3Region,
    forcePathStyle: o.s3ForcePathStyle,
    sse: o.s3Sse,
    kmsKeyId: o.s3KmsKeyId,
    storageClass: o.s3StorageClass,
    partSizeBytes: o.s3PartSizeMb === undefined ? undefined : o.s3PartSizeMb * 1024 * 1024,
    queueSize: o.s3QueueSize,
    contentMd5: o.s3ContentMd5 === false ? false : undefined,
  };
  return Object.fromEntries(Object.entries(s3).filter(([, v]) => v !== undefined)) as S3Options;
}

const S3_FLAGS: Partial<Record<keyof S3Options, string>> = {
  endpoint: '--s3-endpoint',
  region: '--s3-region',
  sse: '--s3-sse',
  kmsKeyId: '--s3-kms-key-id',
  storageClass: '--s3-storage-class',
  partSizeBytes: '--s3-part-size-mb',
  queueSize: '--s3-queue-size',
};

export function openRepositoryStorage(o: RepositoryOptionValues, io: CliIo): Storage {
  // Checked here first so that the message names the flags.
  const s3 = parseS3Options(s3OptionsFrom(o), S3_FLAGS);
  return openStorage(o.repo, { cwd: io.cwd, s3 });
}

/** The repository's password source, asked only if the repository turns out to be encrypted. */
export function repositoryPassword(o: RepositoryOptionValues, io: CliIo): PasswordSource {
  return passwordSource(o, io);
}
