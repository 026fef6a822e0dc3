import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import { TokenBucket, type RateLimiter } from '../../src/limits/token-bucket.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { wrapStorage } from '../../src/storage/open-storage.js';
import type { Storage } from '../../src/storage/storage.js';

const NO_BACKOFF = { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 };

/** A limiter that records what it was asked for, in order with the backend's calls. */
function recordingLimiter(log: string[], name: string): RateLimiter {
  return { take: async (n) => void log.push(`${name} ${n}`) };
}

/** A backend whose first `failures` puts and gets fail with a retryable error. */
function flaky(inner: Storage, log: string[], failures: number): Storage {
  let left = failures;
  const fail = (op: string): void => {
    log.push(op);
    if (left-- > 0) throw new StorageError(`${op} failed`, { retryable: true });
  };
  return Object.assign(Object.create(inner) as Storage, {
    put: async (key: string, data: Uint8Array) => (fail('put'), inner.put(key, data)),
    get: async (key: string) => (fail('get'), inner.get(key)),
  });
}

describe('wrapStorage: rate limits composed with retries', () => {
  it('charges every attempt of a retried upload, before the attempt is sent', async () => {
    const log: string[] = [];
    const mem = new MemoryStorage();
    const s = wrapStorage(flaky(mem, log, 1), { limits: { upload: recordingLimiter(log, 'up') }, retry: NO_BACKOFF });
    await s.put('data/a', new Uint8Array(300));
    expect(log).toEqual(['up 300', 'put', 'up 300', 'put']);
    expect(mem.objects.get('data/a')?.length).toBe(300);
  });

  it('never holds back the exempt keys (the locks, whose refresh has a deadline)', async () => {
    const log: string[] = [];
    const mem = new MemoryStorage();
    const s = wrapStorage(mem, {
      limits: { upload: recordingLimiter(log, 'up'), download: recordingLimiter(log, 'down'), exempt: (k) => k.startsWith('locks/') },
    });
    await s.put('locks/exclusive-1.json', new Uint8Array(10));
    await s.get('locks/exclusive-1.json');
    await s.put('data/b', new Uint8Array(20));
    expect(log).toEqual(['up 20']);
  });

  it('charges a download when it has arrived, once per successful attempt', async () => {
    const log: string[] = [];
    const mem = new MemoryStorage();
    await mem.put('data/b', new Uint8Array(1000));
    const s = wrapStorage(flaky(mem, log, 1), { limits: { download: recordingLimiter(log, 'down') }, retry: NO_BACKOFF });
    expect((await s.get('data/b', { range: { offset: 0, length: 1000 } })).length).toBe(1000);
    expect(log).toEqual(['get', 'get', 'down 1000']);
  });

  it('the backoff between attempts does not wait inside the limiter: other uploads go on meanwhile', async () => {
    const log: string[] = [];
    let t = 0;
    const bucket = new TokenBucket({ perSecond: 1000, now: () => t, sleep: async (ms) => void (t += ms) });
    const mem = new MemoryStorage();
    const s = wrapStorage(flaky(mem, log, 1), { limits: { upload: bucket }, retry: { attempts: 2, baseDelayMs: 5000, maxDelayMs: 5000 } });
    const ctl = new AbortController();
    const failing = s.put('data/slow', new Uint8Array(100), { signal: ctl.signal });
    // The retry's backoff sleeps on real timers; meanwhile another upload gets through the bucket.
    await s.put('data/other', new Uint8Array(100));
    expect(mem.objects.has('data/other')).toBe(true);
    expect(mem.objects.has('data/slow')).toBe(false);
    expect(bucket.stats().amount).toBe(200);
    await expect(Promise.race([failing, new Promise((r) => setTimeout(() => r('backing off'), 50))])).resolves.toBe('backing off');
    ctl.abort();
    await expect(failing).rejects.toThrow(/interrupted/);
  });

  it('limits a run of uploads to the rate', async () => {
    let t = 0;
    const bucket = new TokenBucket({ perSecond: 10_000, now: () => t, sleep: async (ms) => void (t += ms) });
    const s = wrapStorage(new MemoryStorage(), { limits: { upload: bucket } });
    for (let i = 0; i < 20; i++) await s.put(`data/${i}`, new Uint8Array(2500));
    expect(t).toBe(5000); // 50,000 bytes at 10,000 bytes/s
  });

  it('without limits, the backend is only wrapped with retries', async () => {
    const log: string[] = [];
    const s = wrapStorage(flaky(new MemoryStorage(), log, 2), { retry: NO_BACKOFF });
    await s.put('data/c', new Uint8Array(1));
    expect(log).toEqual(['put', 'put', 'put']);
  });
});
