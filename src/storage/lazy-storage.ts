// A Storage whose backend is built on first use: the S3 backend needs the AWS SDK, whose loading costs
// about 0.25 CPU-seconds, so that commands on a local repository (and --version, --help) never load it.

import type { ByteRange, ObjectInfo, OpOptions, PutOptions, Storage } from './storage.js';

export class LazyStorage implements Storage {
  private backend: Promise<Storage> | undefined;

  constructor(
    private readonly name: string,
    private readonly build: () => Promise<Storage>,
  ) {}

  private real(): Promise<Storage> {
    this.backend ??= this.build();
    return this.backend;
  }

  async put(key: string, data: Uint8Array, opts?: PutOptions): Promise<void> {
    return (await this.real()).put(key, data, opts);
  }

  async get(key: string, opts?: OpOptions & { range?: ByteRange }): Promise<Uint8Array> {
    return (await this.real()).get(key, opts);
  }

  async stat(key: string, opts?: OpOptions): Promise<ObjectInfo | undefined> {
    return (await this.real()).stat(key, opts);
  }

  async *list(prefix: string, opts?: OpOptions): AsyncIterable<ObjectInfo> {
    yield* (await this.real()).list(prefix, opts);
  }

  async delete(key: string, opts?: OpOptions): Promise<void> {
    return (await this.real()).delete(key, opts);
  }

  async flush(opts?: OpOptions): Promise<void> {
    // Nothing was staged through a backend not built yet.
    if (this.backend) return (await this.backend).flush(opts);
  }

  toString(): string {
    return this.name;
  }
}
