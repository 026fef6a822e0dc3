import { describe, expect, it } from 'vitest';
import { errorMessageOf } from '../../src/opentsdb/http.js';

describe("the TSD's error message in ours", () => {
  it('keeps a normal message whole, with its details', () => {
    expect(errorMessageOf(JSON.stringify({ error: { code: 400, message: 'No such name for metrics', details: "No such name for 'metrics': 'x'" } }))).toBe(
      "No such name for metrics (No such name for 'metrics': 'x')",
    );
  });

  it('shortens a message that carries a whole internal structure (the real "Got Infinity" is 100 KB)', () => {
    const huge = `Got Infinity: Infinity in this SpanGroup.Iterator(timestamps=[${'0, '.repeat(30_000)}])`;
    const m = errorMessageOf(JSON.stringify({ error: { code: 400, message: huge, details: huge } }));
    expect(m.startsWith('Got Infinity: Infinity in this SpanGroup')).toBe(true);
    expect(m.length).toBeLessThan(600);
    expect(m).toMatch(/\.\.\. \(\d+ more characters\)$/);
  });
});

describe('a fetch that cannot be loaded', () => {
  it('is a fault of this machine, not an unreachable TSD', async () => {
    const { httpRequest, HttpClientUnavailableError } = await import('../../src/opentsdb/http.js');
    const broken = (async () => {
      throw new HttpClientUnavailableError("cannot load the HTTP client (undici): Cannot find package 'undici'; reinstall tsdb-backup (npm ci)");
    }) as unknown as typeof fetch;
    const err = await httpRequest({ fetch: broken, timeoutMs: 1000 }, { method: 'GET', url: 'http://127.0.0.1:1/api/version' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpClientUnavailableError);
    const { exitCodeFor } = await import('../../src/cli/exit-codes.js');
    expect(exitCodeFor(err)).toBe(70);
  });
});
