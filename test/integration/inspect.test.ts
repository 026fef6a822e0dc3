// show, diff and compare against the fake TSD.

import { afterAll, describe } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { compareNewMetricScenario, compareOverflowScenario, inspectScenario } from '../scenarios/inspect.js';

describe('inspect (fake TSD)', () => {
  const fakes: FakeTsd[] = [];
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
  });
  inspectScenario('fake TSD', async () => {
    // A point written again into a row the TSD has compacted becomes a second cell ("Duplicate timestamp"
    // on 2.4.1, which the fake TSD mirrors); the real-TSD test deletes the point first, here the fake
    // resolves duplicates as tsd.storage.fix_duplicates does (newest wins).
    const source = await startFakeTsd({ autoCreateMetrics: true, fixDuplicates: true });
    fakes.push(source);
    return { sourceUrl: source.url, prefix: 'insp', now: Date.UTC(2026, 6, 1, 12), rewrite: (url, p) => putPoints(url, [p]) };
  });
  compareNewMetricScenario('fake TSD', async () => {
    const source = await startFakeTsd({ autoCreateMetrics: true });
    fakes.push(source);
    return { sourceUrl: source.url, prefix: 'insnew', now: Date.UTC(2026, 6, 1, 12) };
  });
  compareOverflowScenario('fake TSD', async () => {
    const source = await startFakeTsd({ autoCreateMetrics: true });
    fakes.push(source);
    return { sourceUrl: source.url, prefix: 'insmax', now: Date.UTC(2026, 6, 1, 12) };
  });
});
