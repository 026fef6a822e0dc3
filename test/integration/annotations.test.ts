// Annotations against the fake TSD.

import { afterAll, describe } from 'vitest';
import { annotationsScenario } from '../scenarios/annotations.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';

describe('annotations (fake TSD)', () => {
  const fakes: FakeTsd[] = [];
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
  });
  annotationsScenario('fake TSD', async () => {
    const [source, target] = await Promise.all([startFakeTsd({ autoCreateMetrics: true }), startFakeTsd()]);
    fakes.push(source, target);
    return { sourceUrl: source.url, targetUrl: target.url, prefix: 'annotated', t0: Date.UTC(2026, 3, 1) };
  });
});
