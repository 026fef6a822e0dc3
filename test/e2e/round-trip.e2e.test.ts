// The round-trip scenarios against a real OpenTSDB 2.4.1 on HBase: the source configured like
// production, the target with OpenTSDB's defaults (no metric auto-creation, no chunked requests).

import { describe, inject } from 'vitest';
import { interruptedBackupScenario } from '../scenarios/interrupted-backup.js';
import { roundTripScenarios, type ScenarioClusters } from '../scenarios/round-trip.js';
import { seedTsd } from '../support/seed.js';
import { spawnCli } from '../support/spawn-cli.js';

const skipped = inject('e2eSkipped');
let clusters: ScenarioClusters | undefined;

async function setup(): Promise<ScenarioClusters> {
  if (clusters) return clusters;
  const sourceUrl = inject('sourceUrl');
  // 'medium': about 330k points in 3135 series, one metric with 3000 series.
  const seeded = await seedTsd(sourceUrl, { scale: 'medium', hours: 24, maxBodyBytes: 1_000_000, concurrency: 8 });
  clusters = { sourceUrl, targetUrl: inject('targetUrl'), metrics: seeded.metrics, start: seeded.start, end: seeded.end, points: seeded.points };
  return clusters;
}

describe.runIf(!skipped)('real OpenTSDB 2.4.1', () => {
  roundTripScenarios('real OpenTSDB', setup);

  describe('a backup process killed mid-run', () => {
    interruptedBackupScenario(() => clusters!, spawnCli);
  });
});
