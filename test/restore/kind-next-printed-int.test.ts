// A "3.0" followed (in the same answer) by a point printed as an integer is a float: an integer 3 would
// have printed "3", since only a float next makes an integer print as a double (kind-inference.ts).
import { describe, expect, it } from 'vitest';
import { settleClusterKinds } from '../../src/inspect/cluster-kinds.js';
import { KIND_FLOAT, KIND_INT } from '../../src/format/point-value.js';
import { restoreOnto } from '../support/restore-onto.js';
import type { PointSet } from '../../src/inspect/point-set.js';

const T0 = Date.UTC(2026, 6, 4);

describe('a "3.0" before a point printed "4"', () => {
  it('settleClusterKinds leaves it a float', () => {
    const series = [{ metric: 'k', tags: { h: 'a' }, timestamps: [T0 + 1000, T0 + 2000], kinds: [KIND_FLOAT, KIND_INT], values: [3, 4] }] as any;
    const backup: PointSet = new Map([
      [
        'k{h=a}',
        {
          metric: 'k',
          tags: { h: 'a' },
          points: new Map([
            [T0 + 1000, { kind: KIND_INT, value: 3 }],
            [T0 + 2000, { kind: KIND_INT, value: 4 }],
          ]),
        },
      ],
    ]) as any;
    settleClusterKinds('k', series, backup);
    expect(series[0].kinds[0]).toBe(KIND_FLOAT);
  });

  it('makes the conflict check refuse the restore (the target holds the float 3.0 where the backup writes the integer 3)', async () => {
    const at = (ms: number, value: string) => ({ metric: 'n.m', tags: { h: 'a' }, timestamp: T0 + ms, value });
    const err = await restoreOnto([at(1000, '3'), at(2000, '4')], [at(1000, '3.0'), at(2000, '4')], { start: T0, end: T0 + 3_600_000 });
    expect((err as { code?: string } | undefined)?.code).toBe('RESTORE_CONFLICT');
  });
});
