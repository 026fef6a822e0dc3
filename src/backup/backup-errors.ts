// A backup that cannot finish says which metric and window failed.

import { TsdbBackupError, type ErrorOptions } from '../errors.js';

export class BackupFailedError extends TsdbBackupError {
  constructor(message: string, options?: ErrorOptions) {
    super('BACKUP_FAILED', message, options);
  }
}

/** A metric the source could not serve, and why (the message names the window). */
export interface MissingMetric {
  metric: string;
  error: string;
  /** What to do about this metric, when its failure says (a metric whose series share no tag key). */
  hint?: string;
}

const RETRY_HINT = 'run the backup again when the source is healthier (chunks already written are reused), or raise --retries';

/**
 * The source could not serve some metrics even after retries and splits. The others were backed up
 * (their chunks are in the repository, and a rerun reuses them), but no manifest was written: a backup
 * that misses data must never look complete.
 */
export class BackupIncompleteError extends TsdbBackupError {
  constructor(
    readonly missing: MissingMetric[],
    total: number,
    options?: ErrorOptions,
  ) {
    const shown = missing.slice(0, 10).map((m) => `  ${m.error}`);
    const more = missing.length > shown.length ? [`  ... and ${missing.length - shown.length} more metric(s)`] : [];
    super(
      'BACKUP_INCOMPLETE',
      [`backup incomplete, no manifest written: ${missing.length} of ${total} metric(s) could not be read from the source:`, ...shown, ...more].join('\n'),
      {
        // each metric's own advice, then the general one when a failure had none
        hint: [...new Set(missing.map((m) => m.hint ?? RETRY_HINT))].join('; '),
        ...options,
      },
    );
    this.details = { missing };
  }
}
