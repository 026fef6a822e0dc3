// The round-trip scenarios against the in-process fake TSD: a source configured like production
// (auto-created metrics, chunked requests) and a target with OpenTSDB's defaults.

import { afterAll, describe } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { seedTsd } from '../support/seed.js';
import { interruptedBackupScenario } from '../scenarios/interrupted-backup.js';
import { roundTripScenarios, type ScenarioClusters } from '../scenarios/round-trip.js';
import { cli } from '../support/run-cli-in-process.js';

const fakes: FakeTsd[] = [];
let clusters: ScenarioClusters | undefined;

async function setup(): Promise<ScenarioClusters> {
  if (clusters) return clusters;
  const source = await startFakeTsd({ autoCreateMetrics: true, enableChunked: true, maxChunk: 1 << 20 });
  const target = await startFakeTsd();
  fakes.push(source, target);
  const seeded = await seedTsd(source.url, { scale: 'small' });
  clusters = { sourceUrl: source.url, targetUrl: target.url, metrics: seeded.metrics, start: seeded.start, end: seeded.end, points: seeded.points };
  return clusters;
}

afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

roundTripScenarios('fake TSD', setup);

describe('interrupted backups (fake TSD)', () => {
  interruptedBackupScenario(
    () => clusters!,
    (args) => {
      const ctl = new AbortController();
      const running = cli(args, { signal: ctl.signal });
      return {
        stop: async () => {
          ctl.abort();
          const r = await running;
          if (r.code !== 130) throw new Error(`interrupted backup exited ${r.code}: ${r.stderr}`);
        },
      };
    },
  );
});
