// A tag key named __proto__ against the real OpenTSDB (2.4.1 stores it and answers the series apart).

import { describe, inject } from 'vitest';
import { protoTagScenario } from '../scenarios/proto-tag.js';

describe.runIf(!inject('e2eSkipped'))('__proto__ tag key (real OpenTSDB)', () => {
  protoTagScenario('real OpenTSDB', async () => ({
    sourceUrl: inject('sourceUrl'),
    targetUrl: inject('targetUrl'),
    metric: 'e2e.proto.tag',
    t0: Date.UTC(2026, 8, 5),
  }));
});
