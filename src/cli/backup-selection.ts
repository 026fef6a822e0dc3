// Which backup a command reads (an id, or --at a time) and the time range it takes from it: the same
// rules for restore and export.

import { UsageError } from '../errors.js';
import type { CliIo } from './cli-io.js';
import { assertOrdered, timeMs } from './option-parsers.js';

export interface BackupSelectionValues {
  at?: string;
  start?: string;
  end?: string;
}

export function backupSelection(backupId: string | undefined, o: BackupSelectionValues, io: CliIo): { at?: number; start: number; end: number } {
  if (backupId && o.at) throw new UsageError('give either a backup id or --at, not both');
  const now = io.now().getTime();
  const at = o.at ? timeMs('--at', o.at, now) : undefined;
  const start = o.start ? timeMs('--start', o.start, now) : Number.MIN_SAFE_INTEGER;
  const end = o.end ? timeMs('--end', o.end, now) : Number.MAX_SAFE_INTEGER;
  assertOrdered(start, end);
  return { at, start, end };
}
