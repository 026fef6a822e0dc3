// show, diff and compare against the real OpenTSDB.

import { describe, inject } from 'vitest';
import { compareNewMetricScenario, compareOverflowScenario, inspectScenario } from '../scenarios/inspect.js';
import { deleteRange } from '../support/delete-range.js';
import { putPoints } from '../support/put-points.js';

describe.runIf(!inject('e2eSkipped'))('inspect (real OpenTSDB)', () => {
  let run = 0;
  inspectScenario('real OpenTSDB', async () => ({
    sourceUrl: inject('sourceUrl'),
    prefix: `e2e.insp${run++}`,
    now: Date.UTC(2026, 7, 1, 12),
    // Written again into a row the TSD has compacted, the point would become a second cell and every
    // query of the row would fail with "Duplicate timestamp": delete it first (deleteRange keeps the
    // row's other points), then write the new value.
    rewrite: async (url, p) => {
      // The TSD refuses a range of one millisecond; the next one holds no point of the series.
      await deleteRange(url, p.metric, p.timestamp, p.timestamp + 1, p.tags);
      await putPoints(url, [p]);
    },
  }));
  compareNewMetricScenario('real OpenTSDB', async () => ({
    sourceUrl: inject('sourceUrl'),
    prefix: `e2e.insnew${Date.now().toString(36)}`,
    now: Date.UTC(2026, 7, 1, 12),
  }));
  compareOverflowScenario('real OpenTSDB', async () => ({
    sourceUrl: inject('sourceUrl'),
    prefix: `e2e.insmax${Date.now().toString(36)}`,
    now: Date.UTC(2026, 8, 1, 12),
  }));
});
