// Wraps a Storage so that retryable failures are tried again; NotFound and permanent errors are not.

import { StorageError } from '../errors.js';
import { withRetry, type RetryPolicy } from '../retry.js';
import type { ByteRange, ObjectInfo, OpOptions, PutOptions, Storage } from './storage.js';

function retryable(err: unknown): boolean {
  return err instanceof StorageError && err.retryable;
}

export class RetryingStorage implements Storage {
  constructor(
    private readonly inner: Storage,
    private readonly policy?: RetryPolicy,
    private readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void,
  ) {}

  private run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return withRetry(fn, { policy: this.policy, isRetryable: retryable, signal, onRetry: this.onRetry });
  }

  put(key: string, data: Uint8Array, opts?: PutOptions): Promise<void> {
    return this.run(() => this.inner.put(key, data, opts), opts?.signal);
  }

  get(key: string, opts?: OpOptions & { range?: ByteRange }): Promise<Uint8Array> {
    return this.run(() => this.inner.get(key, opts), opts?.signal);
  }

  stat(key: string, opts?: OpOptions): Promise<ObjectInfo | undefined> {
    return this.run(() => this.inner.stat(key, opts), opts?.signal);
  }

  async *list(prefix: string, opts?: OpOptions): AsyncIterable<ObjectInfo> {
    // A listing is restarted as a whole: a half-read listing is not resumable across backends.
    const all = await this.run(async () => {
      const out: ObjectInfo[] = [];
      for await (const o of this.inner.list(prefix, opts)) out.push(o);
      return out;
    }, opts?.signal);
    yield* all;
  }

  delete(key: string, opts?: OpOptions): Promise<void> {
    return this.run(() => this.inner.delete(key, opts), opts?.signal);
  }

  flush(opts?: OpOptions): Promise<void> {
    // A failed flush keeps what it did not commit staged, so trying again commits it.
    return this.run(() => this.inner.flush(opts), opts?.signal);
  }

  toString(): string {
    return this.inner.toString();
  }
}
