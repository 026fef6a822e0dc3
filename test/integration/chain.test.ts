// Backup chains against the fake TSD.

import { afterAll, describe } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { chainScenario } from '../scenarios/chain.js';

describe('backup chains (fake TSD)', () => {
  const fakes: FakeTsd[] = [];
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
  });
  chainScenario('fake TSD', async () => {
    const [source, target, second] = await Promise.all([startFakeTsd({ autoCreateMetrics: true }), startFakeTsd(), startFakeTsd()]);
    fakes.push(source, target, second);
    return { sourceUrl: source.url, targetUrl: target.url, secondTargetUrl: second.url, prefix: 'chain', now: Date.UTC(2026, 6, 1, 12) };
  });
});
