// Reads the UID metadata of the names a backup's series use while their points are still being read: each
// UID is asked once, as soon as a data query's TSUIDs name it, METADATA_CONCURRENCY at a time. Read at the
// end instead, the GETs (one per distinct UID, ~330 for 1M points of the bench mix) added a phase of their own
// that made a full backup ~14% slower.
//
// It stops as parallel work does here (run-parallel.ts): on the first failure, or the caller's abort, no new
// GET starts, those in flight are aborted, and `all` or `close` return only once every started GET settled.
// A failure during the points (a TSD restarting for a minute of a long backup) does not doom the backup:
// `all` gives the UIDs not read one more pass at the end, which is when they were all read before.

import pLimit, { type LimitFunction } from 'p-limit';
import { throwIfAborted } from '../errors.js';
import type { TsdClient } from '../opentsdb/client.js';
import { getUidMeta, type SourceUidMeta, type UidType } from '../opentsdb/meta-api.js';

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
  private readonly limit: LimitFunction = pLimit(METADATA_CONCURRENCY);
  private readonly reads = new Map<string, Promise<unknown>>();
  /** What each UID read so far answered (undefined: the source no longer knows it). */
  private readonly found = new Map<string, SourceUidMeta | undefined>();
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

  /** Starts reading one UID's metadata (queued behind the reads in flight); a UID is read once. */
  read(ref: UidRef): void {
    const key = keyOf(ref);
    if (this.reads.has(key)) return;
    const read = this.limit(async () => {
      const signal = this.signal;
      if (signal.aborted) return;
      try {
        this.found.set(key, await getUidMeta(this.client, ref.type, ref.uid, { signal }));
      } catch (error) {
        // Before this read settles, so that the queue's next read already sees the abort.
        if (!this.failure) {
          this.failure = { error };
          this.stop.abort(error);
        }
        throw error;
      }
    });
    read.catch(() => undefined);
    this.reads.set(key, read);
  }

  /**
   * The metadata of every UID given (read now if not yet), once all reads have settled. After a failure the
   * UIDs not read get one more pass; a failure in it is thrown.
   */
  async all(refs: readonly UidRef[]): Promise<Array<SourceUidMeta | undefined>> {
    for (const r of refs) this.read(r);
    await this.settled();
    if (this.failure) {
      throwIfAborted(this.callerSignal);
      this.failure = undefined;
      this.stop = new AbortController();
      this.signal = this.linkedSignal();
      for (const r of refs) {
        if (this.found.has(keyOf(r))) continue;
        this.reads.delete(keyOf(r));
        this.read(r);
      }
      await this.settled();
      if (this.failure) throw (this.failure as { error: unknown }).error;
    }
    throwIfAborted(this.callerSignal);
    return refs.map((r) => this.found.get(keyOf(r)));
  }

  /** No new read starts, the ones in flight are aborted; resolves once all have settled. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.settled();
  }

  private async settled(): Promise<void> {
    // Reads may be added while waiting (a series answered meanwhile): wait until none is left unsettled.
    let n = -1;
    while (n !== this.reads.size) {
      n = this.reads.size;
      await Promise.allSettled([...this.reads.values()]);
    }
  }
}
