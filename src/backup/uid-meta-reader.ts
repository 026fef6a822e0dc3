// Reads the UID metadata of the names a backup's series use while their points are still being read: each
// UID is asked once, as soon as a data query's TSUIDs name it, METADATA_CONCURRENCY at a time. Read at the
// end instead, the GETs (one per distinct UID, ~330 for 1M points of the bench mix) added a phase of their own
// that made a full backup ~14% slower.
//
// Waiting UIDs are kept as plain entries of a queue that METADATA_CONCURRENCY workers take from, and only
// metadata that differs from the defaults is kept: a metric of 50,000 tag values queued 50,000 UIDs at once,
// and a promise and closure per UID (p-limit) took ~80 MB.
//
// It stops as parallel work does here (run-parallel.ts): on the first failure, or the caller's abort, no new
// GET starts, those in flight are aborted, and `all` or `close` return only once every started GET settled.
// A failure during the points (a TSD restarting for a minute of a long backup) does not doom the backup:
// `all` gives the UIDs not read one more pass at the end, which is when they were all read before.

import { throwIfAborted } from '../errors.js';
import type { TsdClient } from '../opentsdb/client.js';
import { getUidMeta, isDefaultMeta, type SourceUidMeta, type UidType } from '../opentsdb/meta-api.js';

/**
 * UID GETs in flight at once: each is a small HBase get. Measured on the 2.4.1 sandbox (2,000 GETs, a loaded
 * 2-core machine): 1 at a time 357/s, 8: 449-691/s, 32: 785-915/s; 16 takes most of the gain without
 * crowding the TSD.
 */
export const METADATA_CONCURRENCY = 16;

export interface UidRef {
  type: UidType;
  uid: string;
}

const keyOf = (r: UidRef): string => `${r.type}:${r.uid}`;

export class UidMetaReader {
  private stop = new AbortController();
  private signal: AbortSignal;
  /** UIDs asked for: waiting, in flight or read. */
  private readonly asked = new Set<string>();
  private readonly waiting: UidRef[] = [];
  private readonly read = new Set<string>();
  /** What the UIDs read answered, where it is not the defaults. */
  private readonly found = new Map<string, SourceUidMeta>();
  private readonly workers = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly client: Pick<TsdClient, 'request' | 'toString'>,
    private readonly callerSignal?: AbortSignal,
  ) {
    this.signal = this.linkedSignal();
  }

  private linkedSignal(): AbortSignal {
    return this.callerSignal ? AbortSignal.any([this.callerSignal, this.stop.signal]) : this.stop.signal;
  }

  /** Queues one UID's metadata to be read; a UID is read once. */
  ask(ref: UidRef): void {
    const key = keyOf(ref);
    if (this.asked.has(key)) return;
    this.asked.add(key);
    this.waiting.push(ref);
    if (this.workers.size < METADATA_CONCURRENCY) this.startWorker();
  }

  private startWorker(): void {
    const worker = this.work().finally(() => this.workers.delete(worker));
    this.workers.add(worker);
  }

  private async work(): Promise<void> {
    for (let ref = this.waiting.pop(); ref && !this.signal.aborted; ref = this.waiting.pop()) {
      const signal = this.signal;
      try {
        const meta = await getUidMeta(this.client, ref.type, ref.uid, { signal });
        this.read.add(keyOf(ref));
        if (meta && !isDefaultMeta(meta)) this.found.set(keyOf(ref), meta);
      } catch (error) {
        if (!this.failure) {
          this.failure = { error };
          this.stop.abort(error);
        }
        return;
      }
    }
  }

  /**
   * The non-default metadata of the UIDs given (read now if not yet), once all reads have settled. After a
   * failure the UIDs not read get one more pass; a failure in it is thrown.
   */
  async all(refs: readonly UidRef[]): Promise<SourceUidMeta[]> {
    for (const r of refs) this.ask(r);
    await this.settled();
    if (this.failure) {
      throwIfAborted(this.callerSignal);
      this.failure = undefined;
      this.stop = new AbortController();
      this.signal = this.linkedSignal();
      this.waiting.length = 0;
      for (const r of refs) if (!this.read.has(keyOf(r))) this.waiting.push(r);
      while (this.workers.size < Math.min(METADATA_CONCURRENCY, this.waiting.length)) this.startWorker();
      await this.settled();
      if (this.failure) throw (this.failure as { error: unknown }).error;
    }
    throwIfAborted(this.callerSignal);
    return refs.flatMap((r) => this.found.get(keyOf(r)) ?? []);
  }

  /** No new read starts, the ones in flight are aborted; resolves once all have settled. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.settled();
  }

  private async settled(): Promise<void> {
    // Workers may start while waiting (a series answered meanwhile): wait until none is left.
    while (this.workers.size > 0) await Promise.all([...this.workers]);
  }
}
