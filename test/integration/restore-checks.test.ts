// The restore check scenarios against the in-process fake TSD, with a default target and one that runs
// tsd.storage.fix_duplicates=true.

import { afterAll } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { restoreCheckScenarios, type CheckClusters } from '../scenarios/restore-checks.js';

const fakes: FakeTsd[] = [];

async function setup(): Promise<CheckClusters> {
  const source = await startFakeTsd({ autoCreateMetrics: true });
  const target = await startFakeTsd({ autoCreateMetrics: true });
  const fixing = await startFakeTsd({ autoCreateMetrics: true, fixDuplicates: true });
  fakes.push(source, target, fixing);
  return { sourceUrl: source.url, targetUrl: target.url, fixDuplicatesUrl: fixing.url };
}

afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

restoreCheckScenarios('fake TSD', setup);
