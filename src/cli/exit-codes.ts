// The one place where errors become exit codes. Cron jobs and scripts depend on these numbers:
// keep them stable and keep the README table in step.

import type { ErrorCode } from '../errors.js';
import { TsdbBackupError } from '../errors.js';
import type { Verdict } from '../health/health-result.js';

export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  INCOMPLETE: 3,
  DAMAGED: 4,
  NOTHING_SELECTED: 5,
  DEGRADED: 6,
  DOWN: 7,
  PARTIAL: 8,
  NO_REPOSITORY: 10,
  LOCKED: 11,
  UNREACHABLE: 12,
  PASSWORD_REQUIRED: 13,
  WRONG_PASSWORD: 14,
  TAMPERED: 15,
  DIFFERS: 16,
  RESTORE_DIFFERS: 17,
  RESTORE_CONFLICT: 18,
  OUTPUT_CLOSED: 19,
  INTERNAL: 70,
  INTERRUPTED: 130,
} as const;

export const EXIT_CODE_TABLE: Array<[number, string]> = [
  [EXIT.OK, 'success'],
  [
    EXIT.FAILURE,
    'the operation failed (init where a repository exists, OpenTSDB answered with an error, storage error, backup could not complete or is missing data, a point larger than the target accepts, a point that `export --format import` cannot express, a damaged restore journal or replication state, a module that cannot be loaded such as the native zstd addon)',
  ],
  [
    EXIT.USAGE,
    'invalid command line or config (unknown flag, bad value, missing argument, a duration, window, time range, URL or backup id that cannot work; `restore --resume` with other options than the interrupted restore)',
  ],
  [EXIT.INCOMPLETE, 'restore finished but the target rejected some points (they are listed)'],
  [
    EXIT.DAMAGED,
    "the repository is damaged: a chunk is missing or corrupt, a manifest or config.json is invalid (also when no manifest can be read), or a backup's chain is broken",
  ],
  [EXIT.NOTHING_SELECTED, 'the selection matched nothing: no metric (backup), or no point (restore); nothing was written (--allow-empty permits it)'],
  [EXIT.DEGRADED, 'health: at least one TSD is degraded (its API answers, but a read or write check fails or is slow), none is down'],
  [EXIT.DOWN, 'health: at least one TSD is down (its API cannot be reached, times out or answers 5xx)'],
  [
    EXIT.PARTIAL,
    'replication incomplete: `replicate --once` could not copy some metrics (they stay at their checkpoints), or failover/failback finished but data could not be copied or the clusters differ (listed)',
  ],
  [
    EXIT.NO_REPOSITORY,
    'no repository at --repo (create one with `tsdb-backup init`), or no such backup (incremental: no backup to chain to; a backup set whose shards are not all done or disagree is no backup)',
  ],
  [
    EXIT.LOCKED,
    'the repository is locked by another run (see --wait-lock), or this run lost its lock; or a replication state or restore journal is in use by another process',
  ],
  [EXIT.UNREACHABLE, 'an OpenTSDB server could not be reached (refused, DNS, timeout, a TLS certificate that is not trusted or a client certificate refused)'],
  [
    EXIT.PASSWORD_REQUIRED,
    'the repository is encrypted and no password was given (TSDB_BACKUP_PASSWORD, --password-file, --password-command), or the password command failed',
  ],
  [EXIT.WRONG_PASSWORD, "the password opens none of the encrypted repository's keys"],
  [
    EXIT.TAMPERED,
    'an encrypted chunk or manifest failed authentication: its bytes changed after they were written (tampering or storage damage); verify reports every one',
  ],
  [EXIT.DIFFERS, 'the backups or the backup and the cluster differ (diff, compare; the differences are listed)'],
  [EXIT.RESTORE_DIFFERS, 'restore --verify: the points read back from the target differ from the backup (listed per metric and series)'],
  [
    EXIT.RESTORE_CONFLICT,
    'restore refused before writing: the target already holds other values (or kinds) at points the backup would write (listed; --overwrite writes anyway)',
  ],
  [EXIT.OUTPUT_CLOSED, 'export: stdout was closed before every point was written (e.g. `| head`): the export is incomplete'],
  [EXIT.INTERNAL, 'internal error (a bug: please report it with the stack trace)'],
  [EXIT.INTERRUPTED, 'interrupted (Ctrl-C or SIGTERM); nothing incomplete looks complete'],
];

const BY_CODE: Record<ErrorCode, number> = {
  USAGE: EXIT.USAGE,
  REPOSITORY_NOT_FOUND: EXIT.NO_REPOSITORY,
  REPOSITORY_DAMAGED: EXIT.DAMAGED,
  BACKUP_NOT_FOUND: EXIT.NO_REPOSITORY,
  MANIFEST_INVALID: EXIT.DAMAGED,
  CHUNK_CORRUPT: EXIT.DAMAGED,
  CHUNK_MISSING: EXIT.DAMAGED,
  VERIFY_FAILED: EXIT.DAMAGED,
  STORAGE: EXIT.FAILURE,
  NOT_FOUND: EXIT.FAILURE,
  TSD_UNREACHABLE: EXIT.UNREACHABLE,
  TSD_HTTP: EXIT.FAILURE,
  TSD_RESPONSE_INVALID: EXIT.FAILURE,
  TSD_RESPONSE_TOO_LARGE: EXIT.FAILURE,
  TSD_PREFLIGHT: EXIT.FAILURE,
  BACKUP_FAILED: EXIT.FAILURE,
  SOURCE_READ: EXIT.FAILURE,
  STATE_INVALID: EXIT.FAILURE,
  REPLICATION_PARTIAL: EXIT.PARTIAL,
  HOOK_FAILED: EXIT.FAILURE,
  NOTHING_SELECTED: EXIT.NOTHING_SELECTED,
  BACKUP_INCOMPLETE: EXIT.FAILURE,
  SET_INCOMPLETE: EXIT.NO_REPOSITORY,
  RESTORE_INCOMPLETE: EXIT.INCOMPLETE,
  POINT_TOO_LARGE: EXIT.FAILURE,
  LOCKED: EXIT.LOCKED,
  INTERRUPTED: EXIT.INTERRUPTED,
  REPOSITORY_EXISTS: EXIT.FAILURE,
  PASSWORD_REQUIRED: EXIT.PASSWORD_REQUIRED,
  WRONG_PASSWORD: EXIT.WRONG_PASSWORD,
  TAMPERED: EXIT.TAMPERED,
  COMPARE_DIFFERS: EXIT.DIFFERS,
  RESTORE_DIFFERS: EXIT.RESTORE_DIFFERS,
  RESTORE_CONFLICT: EXIT.RESTORE_CONFLICT,
  OUTPUT_CLOSED: EXIT.OUTPUT_CLOSED,
  EXPORT_UNREPRESENTABLE: EXIT.FAILURE,
  DEPENDENCY_MISSING: EXIT.FAILURE,
};

/** The root cause that decides the exit code: a wrapped unreachable TSD is still "unreachable". */
function decisive(err: TsdbBackupError): TsdbBackupError {
  // A backup missing some metrics is a failure of its own, whatever broke each metric.
  if (err.code === 'BACKUP_INCOMPLETE') return err;
  let cur: unknown = err.cause;
  while (cur) {
    if (cur instanceof TsdbBackupError && (cur.code === 'TSD_UNREACHABLE' || cur.code === 'INTERRUPTED')) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return err;
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof TsdbBackupError) return BY_CODE[decisive(err).code];
  return EXIT.INTERNAL;
}

export function exitCodeHelp(): string {
  return `Exit codes:\n${EXIT_CODE_TABLE.map(([c, d]) => `  ${String(c).padStart(3)}  ${d}`).join('\n')}\n`;
}

/** diff and compare: 0 when both sides hold the same points, 16 when they differ. */
export function comparisonExitCode(equal: boolean): number {
  return equal ? EXIT.OK : BY_CODE.COMPARE_DIFFERS;
}

/** health: 0 when every TSD is healthy, 6 when one is degraded and none down, 7 when one is down. */
export function healthExitCode(verdicts: readonly Verdict[]): number {
  if (verdicts.includes('down')) return EXIT.DOWN;
  if (verdicts.includes('degraded')) return EXIT.DEGRADED;
  return EXIT.OK;
}

/**
 * health --nagios: the Nagios plugin convention instead of the table above. A verdict maps to OK,
 * WARNING (degraded) or CRITICAL (down); any other outcome, a usage error included, is UNKNOWN (3),
 * because a monitoring system must not page for a mistyped flag as for a dead TSD.
 */
export const NAGIOS = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;

export type NagiosState = keyof typeof NAGIOS;

export function nagiosState(verdicts: readonly Verdict[]): NagiosState {
  if (verdicts.includes('down')) return 'CRITICAL';
  if (verdicts.includes('degraded')) return 'WARNING';
  return 'OK';
}
