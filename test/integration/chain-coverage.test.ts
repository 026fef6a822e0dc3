// Chain workflows that once lost data with exit 0, against the fake TSD.

import { afterAll, describe } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { chainCoverageScenario } from '../scenarios/chain-coverage.js';

describe('chain coverage (fake TSD)', () => {
  const fakes: FakeTsd[] = [];
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
  });
  chainCoverageScenario('fake TSD', async () => {
    const [source, target] = await Promise.all([startFakeTsd({ autoCreateMetrics: true }), startFakeTsd()]);
    fakes.push(source, target);
    return { sourceUrl: source.url, targetUrl: target.url, prefix: 'cov', now: Date.UTC(2026, 6, 1, 12) };
  });
});
