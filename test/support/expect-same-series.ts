import { expect } from 'vitest';
import type { Series } from '../../src/format/series.js';

/** Bit-exact comparison: the bytes of each double tell -0 from 0 and keep NaN payloads; typeof keeps int vs float apart. */
export function expectSameSeries(actual: Series, expected: Series): void {
  expect(actual.tags).toEqual(expected.tags);
  expect(actual.timestamps).toEqual(expected.timestamps);
  expect(actual.kinds).toEqual(expected.kinds);
  expect(actual.values.length).toBe(expected.values.length);
  actual.values.forEach((v, i) => {
    const e = expected.values[i]!;
    if (typeof e === 'number' && typeof v === 'number') {
      const a = new Float64Array([v]);
      const b = new Float64Array([e]);
      expect(new Uint8Array(a.buffer), `value ${i}: ${v} vs ${e}`).toEqual(new Uint8Array(b.buffer));
    } else {
      expect(v, `value ${i}`).toStrictEqual(e);
    }
  });
}
