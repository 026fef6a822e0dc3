// The chain model (test/scenarios/chain-model.ts) on the real OpenTSDB: a few fixed sequences that
// cover the cases the random ones found or the issue named. One restore each, at the end: the real
// target cannot be emptied between restores, so each sequence has metrics of its own.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, inject, it } from 'vitest';
import { runChainModel, type ModelStep } from '../scenarios/chain-model.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

const SEQUENCES: Array<[string, ModelStep[]]> = [
  [
    'an incremental within the settle lag of its full, then late points and a second incremental',
    [
      { kind: 'write', metric: 0, host: 0, agoMs: 30_000, value: '1' },
      { kind: 'write', metric: 0, host: 0, agoMs: 20_000, value: '2.5' },
      { kind: 'write', metric: 1, host: 1, agoMs: 10_000, value: '9223372036854775807' },
      { kind: 'full', metrics: null, exclude: [] },
      { kind: 'incremental', metrics: null, overlapMs: HOUR, settleMs: 2 * MIN },
      { kind: 'tick', ms: 10 * MIN },
      { kind: 'write', metric: 0, host: 1, agoMs: 12 * MIN, value: '-0.0' },
      { kind: 'write', metric: 2, host: 0, agoMs: MIN, value: '0.1' },
      { kind: 'incremental', metrics: null, overlapMs: HOUR, settleMs: 30_000 },
      { kind: 'restore', backup: 2, byAt: false, metrics: null },
    ],
  ],
  [
    'narrower and wider selections along one chain, restored by --at',
    [
      { kind: 'write', metric: 0, host: 0, agoMs: 2 * HOUR, value: '5' },
      { kind: 'write', metric: 1, host: 0, agoMs: 90 * MIN, value: '6.25' },
      { kind: 'write', metric: 2, host: 1, agoMs: 30 * MIN, value: '-9223372036854775808' },
      { kind: 'full', metrics: [0, 1, 2], exclude: [] },
      { kind: 'tick', ms: 20 * MIN },
      { kind: 'write', metric: 0, host: 0, agoMs: 25 * MIN, value: '7' },
      { kind: 'write', metric: 1, host: 0, agoMs: MIN, value: '8.5' },
      { kind: 'incremental', metrics: [0], overlapMs: HOUR, settleMs: 0 },
      { kind: 'tick', ms: 5 * MIN },
      { kind: 'write', metric: 3, host: 0, agoMs: MIN, value: '1.0E-5' },
      { kind: 'incremental', metrics: [0, 3], overlapMs: 10 * MIN, settleMs: 0 },
      { kind: 'restore', backup: 2, byAt: true, metrics: null },
    ],
  ],
  [
    'a full that excludes a metric, an incremental of one metric, a restore of two',
    [
      { kind: 'write', metric: 0, host: 0, agoMs: 40 * MIN, value: '100' },
      { kind: 'write', metric: 1, host: 0, agoMs: 40 * MIN, value: '200' },
      { kind: 'write', metric: 2, host: 1, agoMs: 40 * MIN, value: '300.5' },
      { kind: 'full', metrics: null, exclude: [2] },
      { kind: 'tick', ms: 3 * MIN },
      { kind: 'write', metric: 1, host: 1, agoMs: 50 * MIN, value: '201' },
      { kind: 'incremental', metrics: [1], overlapMs: HOUR, settleMs: 20_000 },
      { kind: 'restore', backup: 1, byAt: false, metrics: [0, 1] },
    ],
  ],
];

describe.runIf(!inject('e2eSkipped'))('the chain model (real OpenTSDB)', () => {
  SEQUENCES.forEach(([name, steps], i) => {
    it(name, async () => {
      const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-model-e2e-'));
      try {
        await runChainModel(steps, {
          sourceUrl: inject('sourceUrl'),
          target: async () => inject('targetUrl'),
          repo,
          prefix: `e2e.model${i}.r${Date.now() % 100_000}`,
          start: Date.UTC(2026, 8, 1),
        });
      } finally {
        await rm(repo, { recursive: true, force: true });
      }
    });
  });
});
