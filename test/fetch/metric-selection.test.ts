import { describe, expect, it } from 'vitest';
import { discoverMetrics, UNSCANNED_FIRST_CHARS } from '../../src/fetch/discover-metrics.js';
import { literalPrefix, selectMetrics } from '../../src/fetch/metric-selection.js';

describe('metric selection', () => {
  it('matches globs and exact names', () => {
    const s = selectMetrics(['sys.*', 'app.?.latency', 'exact.name', 'n[0-9]']);
    expect(['sys.cpu', 'app.a.latency', 'exact.name', 'n5'].every(s.matches)).toBe(true);
    expect(['sysx', 'app.ab.latency', 'exact.name2', 'na'].some(s.matches)).toBe(false);
    expect(s.exact).toEqual(['exact.name']);
    expect(selectMetrics([]).all).toBe(true);
  });

  it('treats regexp characters in patterns literally', () => {
    expect(selectMetrics(['a+b.*']).matches('a+b.c')).toBe(true);
    expect(selectMetrics(['a+b.*']).matches('aab.c')).toBe(false);
  });

  it('finds the literal prefix of a glob', () => {
    expect(literalPrefix('sys.cpu.*')).toBe('sys.cpu.');
    expect(literalPrefix('*')).toBe('');
    expect(literalPrefix('exact')).toBe('exact');
  });
});

describe('metric discovery through /api/suggest', () => {
  const names = [...Array.from({ length: 30 }, (_, i) => `a.m${String(i).padStart(2, '0')}`), '1min.load', 'Sys.CPU', '_internal', 'b'].sort();
  const client = {
    calls: [] as string[],
    async suggest(_type: string, prefix: string, max: number) {
      this.calls.push(prefix);
      return names.filter((n) => n.startsWith(prefix)).slice(0, max);
    },
  };

  it('expands full pages by prefix so that no name is lost', async () => {
    const found = await discoverMetrics(client, selectMetrics([]), { pageSize: 10 });
    expect(found).toEqual(names);
    expect(client.calls.length).toBeGreaterThan(1);
  });

  it('after a full page in byte order, asks only the prefixes that can hold names past its last one', async () => {
    const many = Array.from({ length: 100 }, (_, i) => `x.m${String(i).padStart(3, '0')}`);
    const sorted = {
      calls: [] as string[],
      async suggest(_type: string, prefix: string, max: number) {
        this.calls.push(prefix);
        return many.filter((n) => n.startsWith(prefix)).slice(0, max);
      },
    };
    expect(await discoverMetrics(sorted, selectMetrics(['x.*']), { pageSize: 10 })).toEqual(many);
    // 'x.' and 'x.m' are full with names up to x.m009: nothing below 'm' and nothing below '0' is asked
    expect(sorted.calls).not.toContain('x.a');
    expect(sorted.calls).not.toContain('x.-');
  });

  it('asks every longer prefix when a full page is not in byte order', async () => {
    const many = Array.from({ length: 100 }, (_, i) => `x.m${String(i).padStart(3, '0')}`);
    const unsorted = {
      calls: [] as string[],
      async suggest(_type: string, prefix: string, max: number) {
        this.calls.push(prefix);
        // the last names first: a page that is not the first names of the prefix
        return many
          .filter((n) => n.startsWith(prefix))
          .reverse()
          .slice(0, max);
      },
    };
    expect(await discoverMetrics(unsorted, selectMetrics(['x.*']), { pageSize: 10 })).toEqual(many);
    expect(unsorted.calls).toContain('x.a');
  });

  it('asks the first characters an empty prefix skips a few at a time, and stops asking after a failure', async () => {
    let inFlight = 0;
    let most = 0;
    const asked: string[] = [];
    const slow = {
      async suggest(_type: string, prefix: string) {
        asked.push(prefix);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return prefix === '\u00fc' ? ['\u00fcmlaut.start'] : [];
      },
    };
    expect(await discoverMetrics(slow, selectMetrics([]))).toEqual(['\u00fcmlaut.start']);
    expect(asked.sort()).toEqual(['', ...UNSCANNED_FIRST_CHARS].sort());
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(8);

    const failing = {
      calls: 0,
      async suggest(_type: string, prefix: string) {
        this.calls++;
        await new Promise((r) => setTimeout(r, 2));
        if (prefix === '\u0085') throw new Error('TSD gone');
        return [];
      },
    };
    await expect(discoverMetrics(failing, selectMetrics([]))).rejects.toThrow('TSD gone');
    const calls = failing.calls;
    expect(calls).toBeLessThan(1 + UNSCANNED_FIRST_CHARS.length);
    await new Promise((r) => setTimeout(r, 20));
    expect(failing.calls).toBe(calls);
  });

  it('narrows discovery to the literal prefixes of the patterns and adds exact names', async () => {
    client.calls = [];
    const found = await discoverMetrics(client, selectMetrics(['a.m1*', 'Sys.CPU', 'ünicode.only']), { pageSize: 100 });
    expect(found).toEqual([...names.filter((n) => n.startsWith('a.m1')), 'Sys.CPU', 'ünicode.only'].sort());
    expect(client.calls).toEqual(['a.m1', 'Sys.CPU', 'ünicode.only']);
  });
});

describe('metric exclusion', () => {
  it('leaves out excluded names and globs, also from exact names', () => {
    const s = selectMetrics(['sys.*', 'app.x'], ['sys.debug.*', 'app.x']);
    expect(s.matches('sys.cpu')).toBe(true);
    expect(s.matches('sys.debug.trace')).toBe(false);
    expect(s.matches('app.x')).toBe(false);
    expect(s.exact).toEqual([]);
    const all = selectMetrics([], ['tsd.*']);
    expect(all.matches('tsd.rpc.received')).toBe(false);
    expect(all.matches('sys.cpu')).toBe(true);
  });
});
