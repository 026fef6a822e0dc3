// The idle-metrics scenario against the in-process fake TSD.

import { afterAll } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { idleMetricsScenario } from '../scenarios/idle-metrics.js';

const fakes: FakeTsd[] = [];

afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

idleMetricsScenario('fake TSD', async () => {
  const source = await startFakeTsd({ autoCreateMetrics: true });
  const target = await startFakeTsd();
  fakes.push(source, target);
  return { sourceUrl: source.url, targetUrl: target.url };
});
