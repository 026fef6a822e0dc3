// The restore check scenarios against a real OpenTSDB 2.4.1 target with its defaults
// (tsd.storage.fix_duplicates=false): --verify, and the conflict refusal before writing.

import { describe, inject } from 'vitest';
import { restoreCheckScenarios } from '../scenarios/restore-checks.js';

const skipped = inject('e2eSkipped');

describe.runIf(!skipped)('real OpenTSDB 2.4.1', () => {
  restoreCheckScenarios('real OpenTSDB', async () => ({ sourceUrl: inject('sourceUrl'), targetUrl: inject('targetUrl') }));
});
