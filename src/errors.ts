// Typed errors with stable codes. The CLI maps them to exit codes in one place (src/cli/exit-codes.ts).

export type ErrorCode =
  | 'USAGE'
  | 'REPOSITORY_NOT_FOUND'
  | 'REPOSITORY_DAMAGED'
  | 'BACKUP_NOT_FOUND'
  | 'MANIFEST_INVALID'
  | 'CHUNK_CORRUPT'
  | 'CHUNK_MISSING'
  | 'VERIFY_FAILED'
  | 'STORAGE'
  | 'NOT_FOUND'
  | 'TSD_UNREACHABLE'
  | 'TSD_HTTP'
  | 'TSD_RESPONSE_INVALID'
  | 'TSD_RESPONSE_TOO_LARGE'
  | 'TSD_PREFLIGHT'
  | 'BACKUP_FAILED'
  | 'SOURCE_READ'
  | 'STATE_INVALID'
  | 'REPLICATION_PARTIAL'
  | 'HOOK_FAILED'
  | 'NOTHING_SELECTED'
  | 'BACKUP_INCOMPLETE'
  /** A backup set whose shards are not all done, or disagree: no backup to restore or chain to. */
  | 'SET_INCOMPLETE'
  | 'RESTORE_INCOMPLETE'
  | 'POINT_TOO_LARGE'
  | 'LOCKED'
  | 'INTERRUPTED'
  | 'REPOSITORY_EXISTS'
  | 'PASSWORD_REQUIRED'
  | 'WRONG_PASSWORD'
  | 'TAMPERED'
  /** diff or compare: the two sides hold different points (not a failure of the run). */
  | 'COMPARE_DIFFERS'
  /** restore --verify read back points that differ from the backup (exit 17). */
  | 'RESTORE_DIFFERS'
  /** restore refused: the target already holds other values at points it would write (exit 18). */
  | 'RESTORE_CONFLICT'
  /** export: stdout was closed (EPIPE) before every point was written (exit 19). */
  | 'OUTPUT_CLOSED'
  /** export --format import: a point or name that OpenTSDB's text importer cannot read back. */
  | 'EXPORT_UNREPRESENTABLE'
  /** A module tsdb-backup needs cannot be loaded (e.g. the native zstd addon after a Node.js upgrade). */
  | 'DEPENDENCY_MISSING';

export interface ErrorOptions {
  cause?: unknown;
  hint?: string;
}

export class TsdbBackupError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  /** Facts for a script (--json), e.g. what a restore wrote before it stopped. */
  details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** Invalid flags, arguments or configuration. */
export class UsageError extends TsdbBackupError {
  constructor(message: string, options?: ErrorOptions) {
    super('USAGE', message, options);
  }
}

/** A key that does not exist in a storage. Storages throw it; callers may translate it. */
export class NotFoundError extends TsdbBackupError {
  constructor(message: string, options?: ErrorOptions) {
    super('NOT_FOUND', message, options);
  }
}

/** Any other storage failure; `retryable` says whether trying again may help. */
export class StorageError extends TsdbBackupError {
  readonly retryable: boolean;
  constructor(message: string, options: ErrorOptions & { retryable?: boolean } = {}) {
    super('STORAGE', message, options);
    this.retryable = options.retryable ?? false;
  }
}

export class InterruptedError extends TsdbBackupError {
  constructor(message = 'interrupted', options?: ErrorOptions) {
    super('INTERRUPTED', message, options);
  }
}

export function isAbortError(err: unknown): boolean {
  return err instanceof InterruptedError || (err instanceof Error && err.name === 'AbortError');
}

/** Throws InterruptedError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError('interrupted', { cause: signal.reason });
}

/** A selection (--metric, --exclude, --start/--end) that matches nothing: almost always a typo, never a success. */
export class NothingSelectedError extends TsdbBackupError {
  constructor(message: string, options?: ErrorOptions) {
    super('NOTHING_SELECTED', message, options);
  }
}
