// Series whose value kinds test how integers and floats are told apart (kind-inference.ts): an integer
// before a float, integral floats, integers after floats, gaps over an hour, 64-bit integers.

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Per pattern name: [offset ms, value token]. */
export const KIND_PATTERNS: Record<string, Array<[number, string]>> = {
  alternating: Array.from({ length: 40 }, (_, i) => [i * MIN, i % 2 ? `${i}.0` : String(i)]),
  runs: Array.from({ length: 40 }, (_, i) => [i * MIN, Math.floor(i / 3) % 2 ? `${i}.5` : String(i)]),
  integralFloats: Array.from({ length: 40 }, (_, i) => [i * MIN, `${i}.0`]),
  sparse: [
    [0, '1'],
    [2 * HOUR, '2'],
    [5 * HOUR, '3.0'],
    [5 * HOUR + MIN, '4'],
    [9 * HOUR, '5'],
    [9 * HOUR + 1, '6.25'],
  ],
  bigInts: [
    [0, '9007199254740993'],
    [MIN, '9007199254740995'],
    [2 * MIN, '1.5'],
    [3 * HOUR, '-9223372036854775808'],
    [3 * HOUR + MIN, '2.0'],
  ],
};
