// A restore that wrote some points but not all of them, and a restore that stopped on a failure.

import { TsdbBackupError } from '../errors.js';

/** restore --verify: the target does not hold exactly what the backup holds. */
export class RestoreDiffersError extends TsdbBackupError {
  constructor(message: string, details: Record<string, unknown>) {
    super('RESTORE_DIFFERS', message, { hint: 'something else writes to these series, or the target changed the points; the differences are listed above' });
    this.details = details;
  }
}

/** The target already holds other values at points the restore would write; nothing was written. */
export class RestoreConflictError extends TsdbBackupError {
  constructor(message: string, details: Record<string, unknown>) {
    super('RESTORE_CONFLICT', message, {
      hint: 'nothing was written. Restore into an empty target, restore another range (--start/--end) or names (--rename-metric), or, on a target that runs tsd.storage.fix_duplicates=true (the newest value wins), replace them with --overwrite',
    });
    this.details = details;
  }
}

export class RestoreIncompleteError extends TsdbBackupError {
  constructor(message: string, hint?: string) {
    super('RESTORE_INCOMPLETE', message, { hint });
  }
}

/** One point does not fit in the largest body the target accepts: its configuration, not a bug. */
export class PointTooLargeError extends TsdbBackupError {
  constructor(message: string) {
    super('POINT_TOO_LARGE', message, {
      hint: "raise the target's body limit: tsd.http.request.enable_chunked=true with a larger tsd.http.request.max_chunk (or leave gzip on)",
    });
  }
}

export interface RestoreProgressAtStop {
  /** Points the target confirmed before the restore stopped (0 for a dry run). */
  points: number;
  /** Chunks completely written (or, for a dry run, read and verified). */
  chunks: number;
  /** Chunks the restore was to write. */
  of: number;
  dryRun: boolean;
  /** The restore journal (kept for --resume) and the chunks it records as written, by this run and before. */
  journal?: string;
  journaled?: number;
  /** A resumed restore: what the interrupted run(s) before it had written (not counted in points/chunks). */
  skippedChunks?: number;
  skippedPoints?: number;
}

function hintFor(code: string | undefined): string {
  if (code === 'CHUNK_CORRUPT' || code === 'CHUNK_MISSING') {
    return '`tsdb-backup verify` lists every damaged chunk; restore an older backup for those metrics, and the rest with --exclude';
  }
  return 'run the same restore again once the cause is fixed: rewriting points is harmless';
}

/**
 * The failure that stopped a restore, with what it had written by then: the operator needs that to
 * judge the target. It keeps the cause's code, so the exit code is the cause's (damaged, interrupted...).
 */
export class RestoreStoppedError extends TsdbBackupError {
  readonly written: RestoreProgressAtStop;

  constructor(cause: unknown, written: RestoreProgressAtStop) {
    const inner = cause instanceof TsdbBackupError ? cause : undefined;
    const what = written.dryRun
      ? `restore (dry run) stopped after verifying ${written.chunks} of ${written.of} chunks`
      : `restore stopped after writing ${written.points} points and ${written.chunks} of ${written.of} chunks${written.skippedChunks !== undefined ? ` (resumed: ${written.skippedChunks} chunks, ${written.skippedPoints} points, written before)` : ''}`;
    const resume =
      written.journal !== undefined
        ? `; \`restore --resume\` with the same options skips what is written: ${written.journaled} whole chunks and the acknowledged points of others (journal ${written.journal})`
        : '';
    super(inner?.code ?? 'RESTORE_INCOMPLETE', `${what}: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
      hint: `${inner?.hint ?? hintFor(inner?.code)}${resume}`,
    });
    this.written = written;
    this.details = { written };
  }
}
