// Wraps a Storage so that object bodies go at most at a rate: an upload waits for its bytes before it
// is sent, a download is counted when it has arrived (its size is known only then) and the next one
// waits for it. Listings, stats and deletes are not counted: their bodies are small.

import type { RateLimiter } from '../limits/token-bucket.js';
import type { ByteRange, ObjectInfo, OpOptions, PutOptions, Storage } from './storage.js';

export interface StorageLimits {
  /** Bytes per second of object bodies written (--limit-upload). */
  upload?: RateLimiter;
  /** Bytes per second of object bodies read (--limit-download). */
  download?: RateLimiter;
  /** Keys never held back (the repository's locks: a refresh waiting behind chunk uploads would miss its deadline). */
  exempt?: (key: string) => boolean;
}

export class RateLimitedStorage implements Storage {
  constructor(
    private readonly inner: Storage,
    private readonly limits: StorageLimits,
  ) {}

  async put(key: string, data: Uint8Array, opts?: PutOptions): Promise<void> {
    // A lock's refresh must never wait behind the chunks' upload budget: past its deadline the lock is lost.
    if (!this.limits.exempt?.(key)) await this.limits.upload?.take(data.byteLength, opts?.signal);
    return this.inner.put(key, data, opts);
  }

  async get(key: string, opts?: OpOptions & { range?: ByteRange }): Promise<Uint8Array> {
    const data = await this.inner.get(key, opts);
    if (!this.limits.exempt?.(key)) await this.limits.download?.take(data.byteLength, opts?.signal);
    return data;
  }

  stat(key: string, opts?: OpOptions): Promise<ObjectInfo | undefined> {
    return this.inner.stat(key, opts);
  }

  list(prefix: string, opts?: OpOptions): AsyncIterable<ObjectInfo> {
    return this.inner.list(prefix, opts);
  }

  delete(key: string, opts?: OpOptions): Promise<void> {
    return this.inner.delete(key, opts);
  }

  flush(opts?: OpOptions): Promise<void> {
    // The bytes were counted when they were put.
    return this.inner.flush(opts);
  }

  toString(): string {
    return this.inner.toString();
  }
}
