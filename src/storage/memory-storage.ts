// An in-memory Storage for tests and dry runs. A staged put stays invisible until flush(), as on a
// local disk at its strictest, so that tests catch a document naming objects that were never flushed.

import { NotFoundError, throwIfAborted } from '../errors.js';
import { assertValidKey, type ByteRange, type ObjectInfo, type OpOptions, type PutOptions, type Storage } from './storage.js';

export class MemoryStorage implements Storage {
  readonly objects = new Map<string, Uint8Array>();
  /** Staged puts not flushed yet, in the order they completed. */
  readonly staged: Array<[string, Uint8Array]> = [];

  async put(key: string, data: Uint8Array, opts?: PutOptions): Promise<void> {
    assertValidKey(key);
    throwIfAborted(opts?.signal);
    if (opts?.staged) this.staged.push([key, Uint8Array.from(data)]);
    else this.objects.set(key, Uint8Array.from(data));
  }

  async flush(opts?: OpOptions): Promise<void> {
    throwIfAborted(opts?.signal);
    for (const [key, data] of this.staged.splice(0)) this.objects.set(key, data);
  }

  async get(key: string, opts?: OpOptions & { range?: ByteRange }): Promise<Uint8Array> {
    throwIfAborted(opts?.signal);
    const data = this.objects.get(key);
    if (!data) throw new NotFoundError(`${key} does not exist in ${this}`);
    if (!opts?.range) return Uint8Array.from(data);
    return data.slice(opts.range.offset, opts.range.offset + opts.range.length);
  }

  async stat(key: string, opts?: OpOptions): Promise<ObjectInfo | undefined> {
    throwIfAborted(opts?.signal);
    const data = this.objects.get(key);
    return data ? { key, size: data.length } : undefined;
  }

  async *list(prefix: string, opts?: OpOptions): AsyncIterable<ObjectInfo> {
    throwIfAborted(opts?.signal);
    for (const [key, data] of [...this.objects]) if (key.startsWith(prefix)) yield { key, size: data.length };
  }

  async delete(key: string, opts?: OpOptions): Promise<void> {
    throwIfAborted(opts?.signal);
    this.objects.delete(key);
  }

  toString(): string {
    return 'memory:';
  }
}
