// The idle-metrics scenario against a real OpenTSDB 2.4.1: a data-less, an idle (points in 1970 and
// months ago) and a non-ASCII metric in a full backup without --start, restored exactly.

import { describe, inject } from 'vitest';
import { idleMetricsScenario } from '../scenarios/idle-metrics.js';

const skipped = inject('e2eSkipped');

describe.runIf(!skipped)('real OpenTSDB 2.4.1', () => {
  idleMetricsScenario('real OpenTSDB', async () => ({ sourceUrl: inject('sourceUrl'), targetUrl: inject('targetUrl') }));
});
