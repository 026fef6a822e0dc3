// Rates as operators write them: a number with an optional SI or IEC multiplier and an optional "/s".
// Points: 5000, 100k, 1.5M. Bytes: 1048576, 500KB, 50MB (powers of 1000), 20MiB (powers of 1024);
// a bare k, M, G is a power of 1000 too.

export type RateUnit = 'points' | 'bytes';

const SI: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
const IEC: Record<string, number> = { ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3, ti: 1024 ** 4 };

const FORMS: Record<RateUnit, string> = {
  points: 'a number of points per second such as 5000, 100k or 1.5M',
  bytes: 'a number of bytes per second such as 500KB, 50MB (powers of 1000) or 20MiB (powers of 1024)',
};

/** The rate per second, a whole number of at least 1; throws an Error that says what was expected. */
export function parseRate(value: string, unit: RateUnit): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?)?(b)?\s*(?:\/\s*s(?:ec)?)?\s*$/i.exec(value);
  const prefix = m?.[2]?.toLowerCase() ?? '';
  const bytesSuffix = Boolean(m?.[3]);
  // A "B" only for bytes, and "KiB" only with its B: "20Mi" is a typo, not a unit.
  if (!m || (bytesSuffix && unit !== 'bytes') || (prefix.endsWith('i') && !bytesSuffix)) throw new Error(`expected ${FORMS[unit]}, not '${value}'`);
  const n = Math.floor(Number(m[1]) * (IEC[prefix] ?? SI[prefix]!));
  if (n < 1) throw new Error(`must be at least 1 ${unit === 'points' ? 'point' : 'byte'} per second, not '${value}'`);
  if (!Number.isSafeInteger(n)) throw new Error(`'${value}' is too large`);
  return n;
}
