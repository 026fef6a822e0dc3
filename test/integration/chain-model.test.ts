// The chain model (test/scenarios/chain-model.ts) on the fake TSD: random sequences with a fixed seed
// and a bounded count, so that a failure is reproducible (fast-check prints the seed and the
// shrunk sequence).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { MODEL_HOSTS, MODEL_METRICS, runChainModel, type ModelStep } from '../scenarios/chain-model.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

const metricSet = fc.option(fc.uniqueArray(fc.integer({ min: 0, max: MODEL_METRICS - 1 }), { minLength: 1, maxLength: MODEL_METRICS }), { nil: null });
const value = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.constantFrom('9007199254740993', '-9223372036854775808', '9223372036854775807'),
  fc.integer({ min: -100_000, max: 100_000 }).map((n) => (n / 8).toFixed(3)),
  fc.constantFrom('2.0', '0.1', '-0.0', '1.0E-5'),
);
const step: fc.Arbitrary<ModelStep> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      metric: fc.integer({ min: 0, max: MODEL_METRICS - 1 }),
      host: fc.integer({ min: 0, max: MODEL_HOSTS - 1 }),
      agoMs: fc.oneof(fc.integer({ min: 0, max: 5 * MIN }), fc.integer({ min: 0, max: 3 * HOUR })),
      value,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.oneof(fc.integer({ min: 1, max: 5 * MIN }), fc.integer({ min: 0, max: 2 * HOUR })) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('full' as const),
      metrics: metricSet,
      exclude: fc.uniqueArray(fc.integer({ min: 0, max: MODEL_METRICS - 1 }), { maxLength: 1 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('incremental' as const),
      metrics: metricSet,
      overlapMs: fc.constantFrom(0, 30_000, 10 * MIN, HOUR),
      settleMs: fc.constantFrom(0, 20_000, 2 * MIN, 30 * MIN),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restore' as const), backup: fc.nat(20), byAt: fc.boolean(), metrics: metricSet }) },
);

describe('the chain model (fake TSD)', () => {
  const fakes: FakeTsd[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('every restore of a random chain equals what the model says the chain covers', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 24 }), async (steps) => {
        const source = await startFakeTsd({ autoCreateMetrics: true });
        fakes.push(source);
        const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-model-'));
        dirs.push(repo);
        const target = async (): Promise<string> => {
          const t = await startFakeTsd();
          fakes.push(t);
          return t.url;
        };
        // Every sequence ends in a restore of the newest backup, so none ends unchecked.
        await runChainModel([...steps, { kind: 'restore', backup: 999, byAt: false, metrics: null }], {
          sourceUrl: source.url,
          target,
          repo,
          prefix: `model${run++}`,
          start: Date.UTC(2026, 2, 1),
        });
      }),
      { seed: 20261129, numRuns: 100, endOnFailure: true },
    );
  }, 300_000);
});
