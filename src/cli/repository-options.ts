// Options every command that opens a repository shares, and the Storage they describe. Each one comes from
// its flag, else its environment variable (TSDB_BACKUP_REPOSITORY, TSDB_BACKUP_S3_*), else the config file
// (--config or TSDB_BACKUP_CONFIG; the schedule's format), else its default; an error names where a bad value came from.

import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { openStorage } from '../storage/open-storage.js';
import { parseS3Options, type S3Options } from '../storage/s3-options.js';
import type { Storage } from '../storage/storage.js';
import type { PasswordSource } from '../repository/key-store.js';
import type { CliIo } from './cli-io.js';
import { passwordSource, type PasswordOptionValues } from './password-source.js';
import { DURATION_BOUNDS, duration, positiveInt } from './option-parsers.js';
import { rate, STORAGE_LIMIT_HELP, storageLimits, type StorageLimitValues } from './limit-options.js';

export interface RepositoryOptionValues extends PasswordOptionValues, StorageLimitValues {
  repo: string;
  config?: string;
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

/**
 * Adds the repository options. Commands that upload (backups, init, key changes, prune) take the
 * upload-only S3 options too; the others (and any new read-only command) do not show them, though the
 * environment and config file still set them for the lock objects every run writes.
 */
export function addRepositoryOptions(cmd: Command, what: { lock?: boolean; noLock?: boolean; status?: boolean; uploads?: boolean } = {}): Command {
  cmd.option(
    '--repo <path|url>',
    'repository: a directory, or s3://bucket/prefix (created by `tsdb-backup init`; or TSDB_BACKUP_REPOSITORY, or "repo" in the config file)',
  );
  cmd.option(
    '--config <file>',
    "config file (JSON, the schedule's format): repo, s3, passwordFile, passwordCommand (or TSDB_BACKUP_CONFIG); flags and the environment win over it",
  );
  cmd
    .option(
      '--password-file <file>',
      'encrypted repository: read the password from this file (or TSDB_BACKUP_PASSWORD_FILE; default: TSDB_BACKUP_PASSWORD, or a prompt at a terminal)',
    )
    .option(
      '--password-command <cmd>',
      'encrypted repository: run this shell command and read the password from its output, e.g. a Vault or pass call (or TSDB_BACKUP_PASSWORD_COMMAND)',
    );
  if (what.lock)
    cmd.option(
      '--wait-lock <duration>',
      'wait up to this long for another run to release the repository lock (default: fail at once)',
      duration('--wait-lock', DURATION_BOUNDS.waitLock),
    );
  if (what.noLock)
    cmd.option('--no-lock', 'do not lock the repository (a read-only copy or read-only credentials); a concurrent prune could then remove what this run reads');
  if (what.status)
    cmd.option('--status-file <path>', 'write the outcome of this run for monitoring: JSON, or Prometheus text format if the name ends in .prom');
  cmd
    .option(
      '--s3-endpoint <url>',
      'S3-compatible endpoint (MinIO, Ceph, ...), e.g. http://minio:9000; credentials come from the AWS SDK default chain (or TSDB_BACKUP_S3_ENDPOINT)',
    )
    .option('--s3-region <region>', 'S3 region (or TSDB_BACKUP_S3_REGION; default: AWS_REGION or the profile)')
    .option(
      '--s3-force-path-style',
      'path-style S3 requests (endpoint/bucket/key), needed by most S3-compatible stores (or TSDB_BACKUP_S3_FORCE_PATH_STYLE=true)',
    )
    .option('--limit-upload <rate>', STORAGE_LIMIT_HELP.upload, rate('--limit-upload', 'bytes'))
    .option('--limit-download <rate>', STORAGE_LIMIT_HELP.download, rate('--limit-download', 'bytes'));
  if (!what.uploads) return cmd;
  return cmd
    .option('--s3-sse <mode>', 'server-side encryption: AES256 (SSE-S3) or aws:kms (SSE-KMS) (or TSDB_BACKUP_S3_SSE)')
    .option('--s3-kms-key-id <id>', 'KMS key for --s3-sse aws:kms (default: the account key) (or TSDB_BACKUP_S3_KMS_KEY_ID)')
    .option('--s3-storage-class <class>', 'storage class of new objects, e.g. STANDARD_IA (or TSDB_BACKUP_S3_STORAGE_CLASS)')
    .option(
      '--s3-part-size-mb <n>',
      'multipart upload part size (default 8, minimum 5) (or TSDB_BACKUP_S3_PART_SIZE_MB)',
      positiveInt('--s3-part-size-mb', 5120),
    )
    .option('--s3-queue-size <n>', 'multipart parts uploaded at once (default 4) (or TSDB_BACKUP_S3_QUEUE_SIZE)', positiveInt('--s3-queue-size', 64))
    .option('--no-s3-content-md5', 'do not send Content-MD5 with uploads, for stores that reject it (or TSDB_BACKUP_S3_CONTENT_MD5=false)');
}

type Setting = 's3Endpoint' | 's3Region' | 's3ForcePathStyle' | 's3Sse' | 's3KmsKeyId' | 's3StorageClass' | 's3PartSizeMb' | 's3QueueSize' | 's3ContentMd5';

/** Each setting's flag, environment variable, config-file field, and how a string from the environment is read. */
const SETTINGS: Array<{ key: Setting; flag: string; env: string; field: string; s3: keyof S3Options; read: (v: string, label: string) => unknown }> = [
  { key: 's3Endpoint', flag: '--s3-endpoint', env: 'TSDB_BACKUP_S3_ENDPOINT', field: 'endpoint', s3: 'endpoint', read: (v) => v },
  { key: 's3Region', flag: '--s3-region', env: 'TSDB_BACKUP_S3_REGION', field: 'region', s3: 'region', read: (v) => v },
  {
    key: 's3ForcePathStyle',
    flag: '--s3-force-path-style',
    env: 'TSDB_BACKUP_S3_FORCE_PATH_STYLE',
    field: 'forcePathStyle',
    s3: 'forcePathStyle',
    read: (v, l) => bool(v, l),
  },
  { key: 's3Sse', flag: '--s3-sse', env: 'TSDB_BACKUP_S3_SSE', field: 'sse', s3: 'sse', read: (v) => v },
  { key: 's3KmsKeyId', flag: '--s3-kms-key-id', env: 'TSDB_BACKUP_S3_KMS_KEY_ID', field: 'kmsKeyId', s3: 'kmsKeyId', read: (v) => v },
  { key: 's3StorageClass', flag: '--s3-storage-class', env: 'TSDB_BACKUP_S3_STORAGE_CLASS', field: 'storageClass', s3: 'storageClass', read: (v) => v },
  {
    key: 's3PartSizeMb',
    flag: '--s3-part-size-mb',
    env: 'TSDB_BACKUP_S3_PART_SIZE_MB',
    field: 'partSizeMb',
    s3: 'partSizeBytes',
    read: (v, l) => positiveInt(l, 5120)(v),
  },
  { key: 's3QueueSize', flag: '--s3-queue-size', env: 'TSDB_BACKUP_S3_QUEUE_SIZE', field: 'queueSize', s3: 'queueSize', read: (v, l) => positiveInt(l, 64)(v) },
  { key: 's3ContentMd5', flag: '--no-s3-content-md5', env: 'TSDB_BACKUP_S3_CONTENT_MD5', field: 'contentMd5', s3: 'contentMd5', read: (v, l) => bool(v, l) },
];

/** The storage limits' flags, environment variables and config-file fields ("limits": {"upload": "50MB"}). */
const LIMITS = [
  { key: 'limitUpload', env: 'TSDB_BACKUP_LIMIT_UPLOAD', field: 'upload' },
  { key: 'limitDownload', env: 'TSDB_BACKUP_LIMIT_DOWNLOAD', field: 'download' },
] as const;

function bool(v: string, label: string): boolean {
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new UsageError(`${label} must be true or false, not '${v}'`);
}

/** Where each S3 value came from, so that a value the S3 schema rejects is named by its source. */
const s3Labels = new WeakMap<object, Partial<Record<keyof S3Options, string>>>();

/**
 * Fills the repository options a command was not given as flags from the environment, then the config
 * file. Run before every command that has --repo (run-cli.ts hooks it), so new commands get it for free.
 */
export async function applyRepositoryDefaults(cmd: Command, io: CliIo): Promise<void> {
  const o = cmd.opts<RepositoryOptionValues>();
  const fromFlag = (key: string): boolean => cmd.getOptionValueSource(key) === 'cli';
  const has = (key: string): boolean => cmd.options.some((opt) => opt.attributeName() === key);
  const env = io.env;
  const labels: Partial<Record<keyof S3Options, string>> = {};
  const configPath = o.config ?? (env.TSDB_BACKUP_CONFIG || undefined);
  // Loaded only for a config file: its schema checks cron expressions, and cron-parser is a cost every run would pay.
  const config =
    configPath === undefined ? undefined : await (await import('../schedule/schedule-config.js')).loadRepositoryConfig(path.resolve(io.cwd, configPath));
  const set = (key: string, value: unknown): void => void cmd.setOptionValueWithSource(key, value, 'env');

  if (!fromFlag('repo')) {
    if (env.TSDB_BACKUP_REPOSITORY) set('repo', env.TSDB_BACKUP_REPOSITORY);
    else if (config?.repo) set('repo', config.repo);
  }
  if (!cmd.getOptionValue('repo'))
    throw new UsageError('no repository given: use --repo, TSDB_BACKUP_REPOSITORY, or "repo" in a config file (--config, TSDB_BACKUP_CONFIG)');

  for (const s of SETTINGS) {
    if (!has(s.key) && env[s.env] === undefined && config?.s3?.[s.field as keyof typeof config.s3] === undefined) continue;
    if (fromFlag(s.key)) {
      labels[s.s3] = s.flag;
      continue;
    }
    const raw = env[s.env];
    if (raw !== undefined && raw !== '') {
      set(s.key, s.read(raw, s.env));
      labels[s.s3] = s.env;
      continue;
    }
    const fromFile = config?.s3?.[s.field as keyof typeof config.s3];
    if (fromFile !== undefined) {
      set(s.key, fromFile);
      labels[s.s3] = `${configPath}: field 's3.${s.field}'`;
    }
  }
  s3Labels.set(cmd.opts(), labels);

  for (const l of LIMITS) {
    if (fromFlag(l.key)) continue;
    const raw = env[l.env];
    if (raw !== undefined && raw !== '') set(l.key, rate(l.env, 'bytes')(raw));
    else if (config?.limits?.[l.field] !== undefined) set(l.key, rate(`${configPath}: field 'limits.${l.field}'`, 'bytes')(config.limits[l.field]!));
  }

  // The password: flags, then its environment variables (read by passwordSource), then the file.
  const passwordInEnv = Boolean(env.TSDB_BACKUP_PASSWORD_FILE || env.TSDB_BACKUP_PASSWORD_COMMAND || env.TSDB_BACKUP_PASSWORD);
  if (config && !passwordInEnv && o.passwordFile === undefined && o.passwordCommand === undefined) {
    if (config.passwordFile !== undefined) set('passwordFile', path.resolve(path.dirname(path.resolve(io.cwd, configPath!)), config.passwordFile));
    if (config.passwordCommand !== undefined) set('passwordCommand', config.passwordCommand);
  }
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
  const s3 = parseS3Options(s3OptionsFrom(o), { ...S3_FLAGS, ...s3Labels.get(o) });
  return openStorage(o.repo, { cwd: io.cwd, s3, limits: storageLimits(o) });
}

/** The repository's password source, asked only if the repository turns out to be encrypted. */
export function repositoryPassword(o: RepositoryOptionValues, io: CliIo): PasswordSource {
  return passwordSource(o, io);
}
