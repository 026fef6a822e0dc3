import { describe, expect, it } from 'vitest';
import { KIND_FLOAT, KIND_INT, parseValueToken } from '../../src/format/point-value.js';
import { prng } from '../support/dataset.js';
import { parseQueryResponse } from '../../src/opentsdb/query-response.js';

const URL = 'http://tsd/api/query';

describe('parsing /api/query answers', () => {
  it('reads every value exactly, with its kind', () => {
    const body = `[{"metric":"m","tags":{"host":"a"},"aggregateTags":[],"dps":[[1700000000000,9223372036854775807],[1700000000001,-9223372036854775808],
      [1700000000002,1.0],[1700000000003,15.199999809265137],[1700000000004,-0.0],[1700000000005,1.0E-300],[1700000000006,"NaN"],[1700000000007,42]]}]`;
    const [s] = parseQueryResponse(body, URL);
    expect(s!.timestamps).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => 1700000000000 + i));
    expect(s!.kinds).toEqual([KIND_INT, KIND_INT, KIND_FLOAT, KIND_FLOAT, KIND_FLOAT, KIND_FLOAT, KIND_FLOAT, KIND_INT]);
    expect(s!.values.slice(0, 2)).toEqual([9223372036854775807n, -9223372036854775808n]);
    expect(Object.is(s!.values[4], -0)).toBe(true);
    expect(s!.values[5]).toBe(1e-300);
    expect(Number.isNaN(s!.values[6])).toBe(true);
  });

  it('reads escapes and Unicode in names, skips fields it does not need, and empty series', () => {
    const body = `[ {"metric":"m\\u00fc","tags":{"k\\"q":"z\\u00fcrich","city":"東京"},"aggregateTags":[],"tsuids":["000001"],
      "annotations":[{"tsuid":"000001","startTime":1,"description":"x","custom":null}],"stats":{"a":1.5,"b":true},"dps":[]},
      {"metric":"n","tags":{},"dps":[[1,2]]} ]`;
    const series = parseQueryResponse(body, URL);
    expect(series.map((s) => [s.metric, s.tags, s.timestamps.length])).toEqual([
      ['mü', { 'k"q': 'zürich', city: '東京' }, 0],
      ['n', {}, 1],
    ]);
    expect(series.map((s) => s.annotations)).toEqual([[{ tsuid: '000001', startTime: 1, endTime: 0, description: 'x', notes: '' }], undefined]); // kept, so a backup holds them
    expect(parseQueryResponse('[]', URL)).toEqual([]);
  });

  it.each([
    ['{"metric":"m"}', /expected '\['/],
    ['[{"metric":"m","tags":{},"dps":{"1":2}}]', /dps is not an array/],
    ['[{"metric":"m","tags":{},"dps":[[1,2]', /expected/],
    ['[{"metric":"m","tags":{"a":1},"dps":[]}]', /field 'tags.a'/],
    ['[{"tags":{},"dps":[]}]', /field 'metric'/],
    ['[{"metric":"m","tags":{},"dps":[[1.5,2]]}]', /bad timestamp 1.5/],
    ['[{"metric":"m","tags":{},"dps":[[1,99999999999999999999]]}]', /outside the 64-bit range/],
    ['[{"metric":"m","tags":{},"aggregateTags":["host"],"dps":[]}]', /not raw data/],
    ['[{"metric":"m","tags":{},"annotations":{},"dps":[]}]', /annotations: field .* expected array/],
    ['[{"metric":"m","tags":{}}]', /'dps' is missing/],
    ['[] x', /unexpected data/],
  ])('rejects %s with a message naming the problem', (body, message) => {
    expect(() => parseQueryResponse(body, URL)).toThrow(message);
  });

  it('reads every kind of token exactly as parseValueToken classifies it, with any whitespace (fast path vs reference)', () => {
    const r = prng(7);
    const tokens = [
      '0',
      '-0',
      '7',
      '-7',
      '007',
      '123456789012345',
      '-123456789012345',
      '1234567890123456',
      '9007199254740993',
      '-9223372036854775808',
      '9223372036854775807',
      '1.0',
      '-0.0',
      '1.5',
      '1.',
      '1e5',
      '1E-300',
      '-2.5e+10',
      '-1.5E-3',
      '1e+5',
      '15.199999809265137',
      '123456789012345678.5',
      '4.9E-324',
      '1.7976931348623157E308',
      '"NaN"',
      '"Infinity"',
      '"-Infinity"',
    ];
    const spaces = ['', ' ', '\n', '\t ', '\r\n'];
    const sp = () => spaces[Math.floor(r() * spaces.length)]!;
    const expected: Array<[number, string]> = [];
    for (let i = 0; i < 500; i++) expected.push([1_700_000_000_000 + i * 7, tokens[Math.floor(r() * tokens.length)]!]);
    const dps = expected.map(([ts, v]) => `${sp()}[${sp()}${ts}${sp()},${sp()}${v}${sp()}]${sp()}`).join(',');
    const [s] = parseQueryResponse(`[{"metric":"m","tags":{},"dps":[${dps}]}]`, URL);
    expect(s!.timestamps).toEqual(expected.map(([ts]) => ts));
    expected.forEach(([, token], i) => {
      const ref = parseValueToken(token.replace(/"/g, ''));
      expect(s!.kinds[i], token).toBe(ref.kind);
      expect(Object.is(s!.values[i], ref.value) || s!.values[i] === ref.value, token).toBe(true);
    });
  });

  it('refuses malformed points with the place named', () => {
    const bad = [
      '[[1.5,1]]',
      '[[-5,1]]',
      '[[12345678901234567,1]]',
      '[[1,]]',
      '[[1,-]]',
      '[[1,2,3]]',
      '[[1 2]]',
      '[[1,2]',
      '[[1,1.2.3]]',
      '[[1,1e]]',
      '[[1,1e+]]',
      '[[1,1.5-]]',
      '[[1,"x"]]',
      '[1,2]',
    ];
    for (const dps of bad)
      expect(() => parseQueryResponse(`[{"metric":"m","tags":{},"dps":${dps}}]`, URL), dps).toThrow(/invalid|bad|expected|not a number|number/i);
  });
});
