// Replication against the real OpenTSDB 2.4.1: the shared source TSD as the primary, the target TSD
// (OpenTSDB defaults: no metric auto-creation, 8 KiB bodies) as the standby.
import { describe, inject } from 'vitest';
import { replicationScenarios } from '../scenarios/replication.js';

describe.skipIf(inject('e2eSkipped'))('real OpenTSDB', () => {
  replicationScenarios('real OpenTSDB 2.4.1', async () => ({ primaryUrl: inject('sourceUrl'), standbyUrl: inject('targetUrl') }));
});
