// What stops an export: a reader that went away before the end, and a point the chosen format cannot express.

import { TsdbBackupError, type ErrorOptions } from '../errors.js';

/** The output (stdout) was closed while the export still had points to write. */
export class OutputClosedError extends TsdbBackupError {
  constructor(message = 'stdout was closed', options?: ErrorOptions) {
    super('OUTPUT_CLOSED', message, options);
  }
}

/** The export stopped because its reader closed stdout: says how much was delivered. */
export function exportCutShort(delivered: number, planned: number, exact: boolean, cause: unknown): OutputClosedError {
  return new OutputClosedError(`stdout was closed after ${delivered} points of ${exact ? '' : 'at most '}${planned}; the export is incomplete`, {
    cause,
    hint: 'a reader such as `head` stops early; read the whole output (or choose less with --metric/--start/--end)',
  });
}

/** `--format import`: OpenTSDB's text importer would misread or reject this point or name. */
export class UnrepresentableError extends TsdbBackupError {
  constructor(message: string) {
    super('EXPORT_UNREPRESENTABLE', message, { hint: '`--format jsonl` carries every value and name exactly (for /api/put)' });
  }
}
