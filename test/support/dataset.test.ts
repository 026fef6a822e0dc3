import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  datasetMetrics,
  expectedQueryValues,
  expectedStoredKind,
  expectedValueText,
  generateDataset,
  LONG_MAX,
  LONG_MIN,
  seriesKey,
  type SeedPoint,
} from './dataset.js';
import { pointJson } from './put-points.js';
import { parsePutValue } from './fake-tsd/java-number.js';
import { SEED_START } from './seed.js';

const small = { start: SEED_START, hours: 6, scale: 'small' as const };

function digest(points: Iterable<SeedPoint>): string {
  const h = createHash('sha256');
  for (const p of points) h.update(pointJson(p) + '\n');
  return h.digest('hex');
}

describe('generateDataset', () => {
  it('is deterministic and depends on the seed', () => {
    expect(digest(generateDataset(small))).toBe(digest(generateDataset(small)));
    expect(digest(generateDataset({ ...small, seed: 2 }))).not.toBe(digest(generateDataset(small)));
  });

  it('small stays small, medium is a few hundred thousand points', () => {
    const n = [...generateDataset(small)].length;
    expect(n).toBeGreaterThan(10_000);
    expect(n).toBeLessThanOrEqual(30_000);
    let m = 0;
    const many = new Set<string>();
    for (const p of generateDataset({ start: SEED_START, hours: 24, scale: 'medium' })) {
      m++;
      if (p.metric === 'hosts.up') many.add(seriesKey(p.metric, p.tags));
    }
    expect(m).toBeGreaterThan(200_000);
    expect(m).toBeLessThan(600_000);
    expect(many.size).toBe(3000);
  });

  it('never repeats a series timestamp and keeps every series in time order', () => {
    const last = new Map<string, number>();
    for (const p of generateDataset(small)) {
      const k = seriesKey(p.metric, p.tags);
      expect(p.timestamp).toBeGreaterThan(last.get(k) ?? -Infinity);
      last.set(k, p.timestamp);
      expect(p.timestamp).toBeGreaterThanOrEqual(small.start);
      expect(p.timestamp).toBeLessThan(small.start + 6 * 3600_000);
      if (p.tsUnit === 's') expect(p.timestamp % 1000).toBe(0);
    }
  });

  it('covers the hard cases', () => {
    const pts = [...generateDataset(small)];
    const values = new Set(pts.map((p) => p.value));
    for (const v of [LONG_MAX, LONG_MIN, '1.0', '-0.0', '1e-300', '0.1', '3.141592653589793', '15.2', '15.199999809265137', '0.25', '1E3']) {
      expect(values.has(v), v).toBe(true);
    }
    // counters beyond 2^53
    expect(pts.some((p) => p.metric === 'net.bytes.in' && BigInt(p.value) > 2n ** 53n)).toBe(true);
    // gauges with one or two decimals
    expect(pts.some((p) => /^\d+\.\d\d$/.test(p.value))).toBe(true);
    expect(pts.some((p) => /^\d+\.\d$/.test(p.value) && p.metric === 'sys.cpu.user')).toBe(true);
    // ms timestamps that are not whole seconds, and whole seconds sent as 10 digits
    expect(pts.some((p) => p.timestamp % 1000 !== 0)).toBe(true);
    expect(pts.some((p) => p.tsUnit === 's')).toBe(true);
    // unicode tag values, one non-Latin-1 only
    const cities = new Set(pts.filter((p) => p.metric === 'geo.latency').map((p) => p.tags.city));
    expect([...cities].sort()).toEqual(['São_Paulo', 'zürich', '東京']);
    // exactly 8 tags
    expect(pts.some((p) => Object.keys(p.tags).length === 8)).toBe(true);
    expect(pts.every((p) => Object.keys(p.tags).length <= 8)).toBe(true);
    // names starting with a digit and a capital
    expect(datasetMetrics()).toEqual(expect.arrayContaining(['1min.load', 'Sys.CPU']));
    expect(new Set(pts.map((p) => p.metric))).toEqual(new Set(datasetMetrics()));
    // a series switching between integers and floating point values
    const mixed = pts.filter((p) => p.metric === 'mixed.type' && p.tags.host === 'mix00').map((p) => expectedStoredKind(p.value));
    expect(mixed).toContain('int');
    expect(mixed).toContain('double');
    expect(mixed.some((k, i) => k === 'int' && mixed[i + 1] === 'double')).toBe(true);
    expect(mixed.some((k, i) => k === 'double' && mixed[i + 1] === 'int')).toBe(true);
    // every value is accepted by the real parsing rules
    for (const v of values) expect(() => parsePutValue(v, 'm', 1n), v).not.toThrow();
  });
});

describe('expected kinds and texts', () => {
  it('follows 2.4.1: integers, else doubles over HTTP (floats only via telnet)', () => {
    expect(expectedStoredKind('42')).toBe('int');
    expect(expectedStoredKind(LONG_MIN)).toBe('int');
    expect(expectedStoredKind('1.0')).toBe('double');
    expect(expectedStoredKind('15.2')).toBe('double');
    expect(expectedStoredKind('1.5', 'telnet')).toBe('float');
    expect(expectedStoredKind('15.2', 'telnet')).toBe('double');
    for (const v of ['42', '1.0', '15.2', '1e-300', LONG_MAX, '-0.0']) expect(expectedStoredKind(v)).toBe(parsePutValue(v, 'm', 1n).kind);
    expect(expectedValueText('1e-300')).toBe('1.0E-300');
    expect(expectedValueText('1E3')).toBe('1000.0');
    expect(expectedValueText('-0.0')).toBe('-0.0');
    expect(expectedQueryValues(['1', '2', '2.5', '3'])).toEqual(['1', '2.0', '2.5', '3']);
  });
});
