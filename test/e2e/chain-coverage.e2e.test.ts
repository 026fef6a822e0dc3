// Chain workflows that once lost data with exit 0, against the real OpenTSDB.

import { describe, inject } from 'vitest';
import { chainCoverageScenario } from '../scenarios/chain-coverage.js';

describe.runIf(!inject('e2eSkipped'))('chain coverage (real OpenTSDB)', () => {
  let run = 0;
  chainCoverageScenario('real OpenTSDB', async () => ({
    sourceUrl: inject('sourceUrl'),
    targetUrl: inject('targetUrl'),
    prefix: `e2e.cov${run++}`,
    now: Date.UTC(2026, 7, 1, 12),
  }));
});
