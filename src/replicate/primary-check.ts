// The replicator's check of the primary: the health check's read path (health/check-tsd.ts, read-only:
// the API answers, and the UID table and the data table can be read), with a short timeout and no
// retries on the client. A failed step counts as a failed check; mere slowness does not (a slow
// primary is no reason to fail over).

import { checkTsd, type HealthClient } from '../health/check-tsd.js';
import { CANARY_METRIC } from './replication-defaults.js';
import type { PrimaryCheck } from './primary-watch.js';

export function primaryCheck(client: HealthClient, deps: { now: () => Date; signal?: AbortSignal }): () => Promise<PrimaryCheck> {
  return async () => {
    const h = await checkTsd(client, { canaryMetric: CANARY_METRIC, host: 'replicate', readOnly: true, slowMs: Number.MAX_SAFE_INTEGER }, deps);
    const failed = h.steps.filter((s) => !s.ok);
    if (h.verdict === 'down' || failed.length > 0) return { ok: false, reason: h.reasons.join('; ') || failed.map((s) => `${s.name}: ${s.error}`).join('; ') };
    return { ok: true };
  };
}
