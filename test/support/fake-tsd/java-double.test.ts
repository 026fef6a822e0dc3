import { describe, expect, it } from 'vitest';
import { javaDoubleToString, javaDoubleToStringCached, javaDoubleToStringShortest, javaFloatToString } from './java-double.js';
import { JDK17_DOUBLE_TO_STRING } from '../../../fixtures/java-double.fixture.js';

function fromHexBits(hex: string): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, BigInt('0x' + hex));
  return dv.getFloat64(0);
}

describe('javaDoubleToString (JDK 8..18 Double.toString)', () => {
  it('matches the layout rules', () => {
    expect(javaDoubleToString(1)).toBe('1.0');
    expect(javaDoubleToString(-0)).toBe('-0.0');
    expect(javaDoubleToString(0)).toBe('0.0');
    expect(javaDoubleToString(42)).toBe('42.0');
    expect(javaDoubleToString(1000)).toBe('1000.0');
    expect(javaDoubleToString(9999999)).toBe('9999999.0');
    expect(javaDoubleToString(10000000)).toBe('1.0E7');
    expect(javaDoubleToString(16777217)).toBe('1.6777217E7');
    expect(javaDoubleToString(0.001)).toBe('0.001');
    expect(javaDoubleToString(0.0025)).toBe('0.0025');
    expect(javaDoubleToString(0.0001)).toBe('1.0E-4');
    expect(javaDoubleToString(1e-5)).toBe('1.0E-5');
    expect(javaDoubleToString(1e21)).toBe('1.0E21');
    expect(javaDoubleToString(1e-300)).toBe('1.0E-300');
    expect(javaDoubleToString(0.1)).toBe('0.1');
    expect(javaDoubleToString(15.2)).toBe('15.2');
    expect(javaDoubleToString(3.141592653589793)).toBe('3.141592653589793');
    expect(javaDoubleToString(Number.MAX_VALUE)).toBe('1.7976931348623157E308');
    expect(javaDoubleToString(Number.MIN_VALUE)).toBe('4.9E-324');
    expect(javaDoubleToString(NaN)).toBe('NaN');
    expect(javaDoubleToString(-Infinity)).toBe('-Infinity');
  });

  it('prints 4-byte floats widened to double like Java', () => {
    expect(javaDoubleToString(Math.fround(15.2))).toBe('15.199999809265137');
    expect(javaDoubleToString(Math.fround(0.1))).toBe('0.10000000149011612');
    expect(javaDoubleToString(Math.fround(3.4028234663852886e38))).toBe('3.4028234663852886E38');
  });

  it('keeps the pre-JDK-19 quirks (not the shortest digits)', () => {
    expect(javaDoubleToString(2.82879384806159e17)).toBe('2.82879384806159008E17');
    expect(javaDoubleToString(1.0e23)).toBe('9.999999999999999E22');
    expect(javaDoubleToString(2e23)).toBe('1.9999999999999998E23');
    expect(javaDoubleToString(8.41e21)).toBe('8.409999999999999E21');
    expect(javaDoubleToString(1.19e-322)).toBe('1.2E-322');
  });

  it('agrees with OpenJDK 17 on 2000 recorded values (incl. 700 where JDK 19+ differs)', () => {
    const lines = JDK17_DOUBLE_TO_STRING.split('\n').filter(Boolean);
    expect(lines.length).toBe(2000);
    const bad: string[] = [];
    for (const line of lines) {
      const [hex, expected] = line.split(' ') as [string, string];
      const d = fromHexBits(hex);
      if (javaDoubleToString(d) !== expected || javaDoubleToStringCached(d) !== expected) bad.push(`${hex}: ${javaDoubleToString(d)} != ${expected}`);
    }
    expect(bad).toEqual([]);
  });

  it('javaFloatToString handles the simple cases the fake prints', () => {
    expect(javaFloatToString(1)).toBe('1.0');
    expect(javaFloatToString(19)).toBe('19.0');
    expect(javaFloatToString(1.5)).toBe('1.5');
    expect(javaFloatToString(Infinity)).toBe('Infinity');
    expect(javaFloatToString(1e10)).toBe('1.0E10');
  });

  it('javaDoubleToStringShortest is JDK 19+ (checked against Temurin 25 on 3.4M values)', () => {
    expect(javaDoubleToStringShortest(2.82879384806159e17)).toBe('2.82879384806159E17');
    expect(javaDoubleToStringShortest(1.0e23)).toBe('1.0E23');
    expect(javaDoubleToStringShortest(2e23)).toBe('2.0E23');
    expect(javaDoubleToStringShortest(8.41e21)).toBe('8.41E21');
    expect(javaDoubleToStringShortest(Number.MIN_VALUE)).toBe('4.9E-324');
    expect(javaDoubleToStringShortest(1e-5)).toBe('1.0E-5');
    expect(javaDoubleToStringShortest(-0)).toBe('-0.0');
    expect(javaDoubleToStringShortest(1234567.5)).toBe('1234567.5');
    expect(javaDoubleToStringShortest(Math.fround(15.2))).toBe('15.199999809265137');
  });
});
