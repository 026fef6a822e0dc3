// The restore migration scenarios against a real OpenTSDB 2.4.1: the target keeps OpenTSDB's defaults
// (no auto-created metrics, no chunked requests), so the renamed metrics must be created by the restore.

import { describe, inject } from 'vitest';
import { restoreMigrationScenarios } from '../scenarios/restore-migration.js';

const skipped = inject('e2eSkipped');

describe.runIf(!skipped)('real OpenTSDB 2.4.1', () => {
  restoreMigrationScenarios('real OpenTSDB', async () => ({ sourceUrl: inject('sourceUrl'), targetUrl: inject('targetUrl') }));
});
