// A backup that cannot finish says which metric and window failed.

import { TsdbBackupError, type ErrorOptions } from '../errors.js';
import { describeFilters } from '../opentsdb/tag-filter.js';
import type { QueryUnit } from './query-unit.js';

export function describeUnit(u: QueryUnit): string {
  return `${u.metric}${describeFilters(u.filters)} [${new Date(u.start).toISOString()} .. ${new Date(u.end).toISOString()}]`;
}

export class BackupFailedError extends TsdbBackupError {
  constructor(message: string, options?: ErrorOptions) {
    super('BACKUP_FAILED', message, options);
  }
}
