// Annotations against the real OpenTSDB.

import { describe, inject } from 'vitest';
import { annotationsScenario } from '../scenarios/annotations.js';

describe.runIf(!inject('e2eSkipped'))('annotations (real OpenTSDB)', () => {
  annotationsScenario('real OpenTSDB', async () => ({
    sourceUrl: inject('sourceUrl'),
    targetUrl: inject('targetUrl'),
    prefix: 'e2e.annotated',
    t0: Date.UTC(2026, 8, 3),
  }));
});
