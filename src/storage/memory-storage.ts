// An in-memory Storage for tests and dry runs.

import { NotFoundError } from '../errors.js';
import { assertValidKey, type ByteRange, type ObjectInfo, type OpOptions, type Storage } from './storage.js';

export class MemoryStorage implements Storage {
  readonly objects = new Map<string, Uint8Array>();

  async put(key: string, data: Uint8Array, opts?: OpOptions): Promise<void> {
    assertValidKey(key);
    opts?.signal?.throwIfAborted();
    this.objects.set(key, Uint8Array.from(data));
  }

  async get(key: string, opts?: OpOptions & { range?: ByteRange }): Promise<Uint8Array> {
    opts?.signal?.throwIfAborted();
    const data = this.objects.get(key);
    if (!data) throw new NotFoundError(`${key} does not exist in ${this}`);
    if (!opts?.range) return Uint8Array.from(data);
    return data.slice(opts.range.offset, opts.range.offset + opts.range.length);
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const data = this.objects.get(key);
    return data ? { key, size: data.length } : undefined;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    for (const [key, data] of [...this.objects]) if (key.startsWith(prefix)) yield { key, size: data.length };
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  toString(): string {
    return 'memory:';
  }
}
