// A read from the source that cannot finish says which metric and window failed. Backup and replicate
// both read through the fetch side, so the message names the read, not the command.

import { TsdbBackupError, type ErrorOptions } from '../errors.js';
import { describeFilters } from '../opentsdb/tag-filter.js';
import type { QueryUnit } from './query-unit.js';

export function describeUnit(u: QueryUnit): string {
  return `${u.metric}${describeFilters(u.filters)} [${new Date(u.start).toISOString()} .. ${new Date(u.end).toISOString()}]`;
}

export class SourceReadError extends TsdbBackupError {
  constructor(message: string, options?: ErrorOptions) {
    super('SOURCE_READ', message, options);
  }
}
