// Creates metric names (and tag names when the target does not auto-create them) through
// /api/uid/assign before points are written, in requests that respect the body limit.

import type { TsdClient } from '../opentsdb/client.js';
import { TargetRefusedError } from './target-limits.js';

import type { UidType } from '../opentsdb/meta-api.js';

export class UidPrecreator {
  private readonly done = new Set<string>();
  /** The target's UID of each name this has created or found. */
  private readonly uids = new Map<string, string>();

  constructor(
    private readonly client: Pick<TsdClient, 'assignUids' | 'toString'>,
    private readonly maxBodyBytes: number,
  ) {}

  async ensure(type: UidType, names: Iterable<string>, signal?: AbortSignal): Promise<number> {
    const todo = [...new Set(names)].filter((n) => !this.done.has(`${type}\0${n}`));
    let created = 0;
    let batch: string[] = [];
    let size = 20;
    const send = async (): Promise<void> => {
      if (batch.length === 0) return;
      const result = await this.client.assignUids({ [type]: batch }, { signal });
      if (result.failed.length > 0) {
        const f = result.failed[0]!;
        throw new TargetRefusedError(`${this.client} refused to create ${f.type} '${f.name}': ${f.error}`);
      }
      created += result.created.length;
      for (const u of result.uids) this.uids.set(`${u.type}\0${u.name}`, u.uid);
      for (const n of batch) this.done.add(`${type}\0${n}`);
      batch = [];
      size = 20;
    };
    for (const name of todo) {
      const bytes = Buffer.byteLength(JSON.stringify(name)) + 1;
      if (size + bytes > this.maxBodyBytes) await send();
      batch.push(name);
      size += bytes;
    }
    await send();
    return created;
  }

  /** The target's UID (hex) of a name passed to ensure(). */
  uidOf(type: UidType, name: string): string {
    const uid = this.uids.get(`${type}\0${name}`);
    if (uid === undefined) throw new TargetRefusedError(`${this.client} did not tell the UID of ${type} '${name}' when asked to create it`);
    return uid;
  }
}
