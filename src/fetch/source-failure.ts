// Which failures of one metric let a backup go on with the others: the source could not serve that
// metric (after retries and splits). Anything else stops the backup at once: an interruption, a lost
// lock, the repository failing, a bug, or a source that is down (refused, unknown host), where every
// other metric would only wait through its own retries to fail the same way.

import { TsdbBackupError, type ErrorCode } from '../errors.js';
import { isBrokenExchange, TsdUnreachableError } from '../opentsdb/errors.js';

const SOURCE_CODES = new Set<ErrorCode>(['BACKUP_FAILED', 'SOURCE_READ', 'TSD_HTTP', 'TSD_RESPONSE_INVALID', 'TSD_RESPONSE_TOO_LARGE', 'TSD_UNREACHABLE']);

export function isMetricSourceFailure(err: unknown): boolean {
  if (!(err instanceof TsdbBackupError) || !SOURCE_CODES.has(err.code)) return false;
  for (let cur: unknown = err; cur; cur = (cur as { cause?: unknown }).cause) {
    if (cur instanceof TsdUnreachableError && !isBrokenExchange(cur)) return false;
    if (cur instanceof TsdbBackupError && !SOURCE_CODES.has(cur.code)) return false;
  }
  return true;
}
