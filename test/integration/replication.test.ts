import { afterAll } from 'vitest';
import { replicationScenarios } from '../scenarios/replication.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';

const started: FakeTsd[] = [];
afterAll(async () => Promise.all(started.map((t) => t.close())));

replicationScenarios('fake TSD', async () => {
  const primary = await startFakeTsd({ autoCreateMetrics: true });
  const standby = await startFakeTsd();
  started.push(primary, standby);
  return { primaryUrl: primary.url, standbyUrl: standby.url };
});
