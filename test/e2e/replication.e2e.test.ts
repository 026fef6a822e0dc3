// Replication against the real OpenTSDB 2.4.1: the shared source TSD as the primary, the target TSD
// (OpenTSDB defaults: no metric auto-creation, 8 KiB bodies) as the standby. The interrupted runs are
// child processes killed with SIGKILL.
import { describe, inject } from 'vitest';
import { interruptedReplicationScenario } from '../scenarios/interrupted-replication.js';
import { replicationScenarios } from '../scenarios/replication.js';
import { spawnCli } from '../support/spawn-cli.js';

describe.skipIf(inject('e2eSkipped'))('real OpenTSDB', () => {
  const clusters = () => ({ primaryUrl: inject('sourceUrl'), standbyUrl: inject('targetUrl') });
  replicationScenarios('real OpenTSDB 2.4.1', async () => clusters());
  describe('a replicator killed with SIGKILL mid-run', () => {
    interruptedReplicationScenario(clusters, spawnCli, 5);
  });
});
