import { afterAll, beforeAll } from 'vitest';
import { describe } from 'vitest';
import { interruptedReplicationScenario } from '../scenarios/interrupted-replication.js';
import { replicationScenarios, type ReplicationClusters } from '../scenarios/replication.js';
import { cli } from '../support/run-cli-in-process.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';

const started: FakeTsd[] = [];
afterAll(async () => Promise.all(started.map((t) => t.close())));

replicationScenarios('fake TSD', async () => {
  const primary = await startFakeTsd({ autoCreateMetrics: true });
  const standby = await startFakeTsd();
  started.push(primary, standby);
  return { primaryUrl: primary.url, standbyUrl: standby.url };
});

describe('a replicator stopped mid-run (fake TSD)', () => {
  let clusters: ReplicationClusters;
  interruptedReplicationScenario(
    () => clusters,
    (args) => {
      const stop = new AbortController();
      const run = cli(args, { signal: stop.signal });
      return { stop: async () => void (stop.abort(), await run) };
    },
  );
  beforeAll(async () => {
    const primary = await startFakeTsd({ autoCreateMetrics: true });
    const standby = await startFakeTsd();
    started.push(primary, standby);
    clusters = { primaryUrl: primary.url, standbyUrl: standby.url };
  });
});
