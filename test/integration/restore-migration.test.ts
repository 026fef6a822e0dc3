// The restore migration scenarios against the in-process fake TSD; the target keeps OpenTSDB's
// defaults (no auto-created metrics), so renamed metrics must be created by the restore.

import { afterAll } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { restoreMigrationScenarios, type MigrationClusters } from '../scenarios/restore-migration.js';

const fakes: FakeTsd[] = [];

async function setup(): Promise<MigrationClusters> {
  const source = await startFakeTsd({ autoCreateMetrics: true, enableChunked: true, maxChunk: 1 << 20 });
  const target = await startFakeTsd();
  fakes.push(source, target);
  return { sourceUrl: source.url, targetUrl: target.url };
}

afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

restoreMigrationScenarios('fake TSD', setup);
