// Incremental chains, --at and prune against the real OpenTSDB.

import { describe, inject } from 'vitest';
import { chainScenario } from '../scenarios/chain.js';

describe.runIf(!inject('e2eSkipped'))('backup chains (real OpenTSDB)', () => {
  // One target serves both restores: --at first (compared right away), then the whole chain, which
  // rewrites the same points and adds the incremental's.
  chainScenario('real OpenTSDB', async () => ({
    sourceUrl: inject('sourceUrl'),
    targetUrl: inject('targetUrl'),
    secondTargetUrl: inject('targetUrl'),
    prefix: 'e2e.chain',
    now: Date.UTC(2026, 6, 1, 12),
  }));
});
