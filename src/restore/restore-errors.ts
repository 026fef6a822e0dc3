// A restore that wrote some points but not all of them.

import { TsdbBackupError } from '../errors.js';

export class RestoreIncompleteError extends TsdbBackupError {
  constructor(message: string, hint?: string) {
    super('RESTORE_INCOMPLETE', message, { hint });
  }
}
