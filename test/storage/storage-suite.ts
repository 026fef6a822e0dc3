// The conformance suite every Storage implementation must pass. Call storageSuite() from a test file
// with a factory for the implementation under test.

import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { InterruptedError, NotFoundError } from '../../src/errors.js';
import { acquireLock } from '../../src/repository/lock.js';
import type { Storage } from '../../src/storage/storage.js';

export interface StorageFixture {
  create(): Promise<Storage>;
  cleanup?(storage: Storage): Promise<void>;
  /** Makes the next put fail midway (e.g. by aborting the upload), if the implementation can be made to; resolves to what the put threw. */
  interruptPut?(storage: Storage, key: string, data: Uint8Array): Promise<unknown>;
  /** A staged put stays invisible until flush() (otherwise it may be written at once, as on S3). */
  stagesUntilFlush?: boolean;
}

/** Starts a put and aborts it before it can finish: for stores whose put does real I/O. */
export async function abortRightAfterStart(storage: Storage, key: string, data: Uint8Array): Promise<unknown> {
  const ctl = new AbortController();
  const pending = storage.put(key, data, { signal: ctl.signal });
  ctl.abort();
  return pending.then(
    () => undefined,
    (err: unknown) => err,
  );
}

async function collect(it: AsyncIterable<{ key: string; size: number }>): Promise<Array<{ key: string; size: number }>> {
  const out = [];
  for await (const o of it) out.push(o);
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

export function storageSuite(name: string, fixture: StorageFixture): void {
  describe(`Storage conformance: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await fixture.create();
    });
    afterEach(async () => {
      await fixture.cleanup?.(storage);
    });

    it('reads back exactly what was written', async () => {
      const data = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
      await storage.put('data/ab/abcdef', data);
      expect(await storage.get('data/ab/abcdef')).toEqual(data);
      expect(await storage.stat('data/ab/abcdef')).toEqual({ key: 'data/ab/abcdef', size: data.length });
    });

    it('writes empty objects', async () => {
      await storage.put('empty', new Uint8Array());
      expect((await storage.get('empty')).length).toBe(0);
      expect(await storage.stat('empty')).toEqual({ key: 'empty', size: 0 });
    });

    it('overwrites an object as a whole', async () => {
      await storage.put('k', bytes('a longer first version'));
      await storage.put('k', bytes('short'));
      expect(new TextDecoder().decode(await storage.get('k'))).toBe('short');
    });

    it('a listing shows every object written before it began, and no object deleted before it', async () => {
      const keys = Array.from({ length: 16 }, (_, i) => `locks/exclusive-${i}.json`);
      await Promise.all(keys.map((k) => storage.put(k, bytes(k))));
      expect((await collect(storage.list('locks/'))).map((o) => o.key)).toEqual([...keys].sort((a, b) => a.localeCompare(b)));
      await Promise.all(keys.slice(0, 8).map((k) => storage.delete(k)));
      expect((await collect(storage.list('locks/'))).map((o) => o.key)).toEqual(keys.slice(8).sort((a, b) => a.localeCompare(b)));
    });

    // The repository lock rests on the property above; this runs it on the real store, concurrently.
    it('the repository lock lets one exclusive run hold it at a time, and shared runs only without one', async () => {
      let inside = { exclusive: 0, shared: 0 };
      const overlaps: string[] = [];
      const quickSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms / 20));
      const run = async (kind: 'exclusive' | 'shared', i: number) => {
        const lock = await acquireLock(storage, { kind, command: `run ${i}`, waitMs: 120_000, sleep: quickSleep, refreshEveryMs: 10 });
        inside = { ...inside, [kind]: inside[kind] + 1 };
        if (inside.exclusive > 1 || (inside.exclusive === 1 && inside.shared > 0)) overlaps.push(`${kind} ${i}: ${JSON.stringify(inside)}`);
        await new Promise((resolve) => setTimeout(resolve, 15));
        inside = { ...inside, [kind]: inside[kind] - 1 };
        await lock.release();
      };
      const kinds = ['exclusive', 'exclusive', 'shared', 'exclusive', 'shared', 'exclusive'] as const;
      await Promise.all(kinds.map((kind, i) => run(kind, i)));
      expect(overlaps).toEqual([]);
      expect(await collect(storage.list('locks/'))).toEqual([]);
    });

    it('reads byte ranges, clamped to the object', async () => {
      await storage.put('r', bytes('0123456789'));
      expect(new TextDecoder().decode(await storage.get('r', { range: { offset: 2, length: 3 } }))).toBe('234');
      expect(new TextDecoder().decode(await storage.get('r', { range: { offset: 8, length: 10 } }))).toBe('89');
    });

    it('a missing key is NotFound for get and undefined for stat', async () => {
      await expect(storage.get('nope/missing')).rejects.toBeInstanceOf(NotFoundError);
      expect(await storage.stat('nope/missing')).toBeUndefined();
    });

    it('NotFound messages name the key and the storage', async () => {
      await expect(storage.get('backups/x/manifest.json')).rejects.toThrow(/backups\/x\/manifest\.json/);
    });

    it('lists by prefix, completely, including nested keys', async () => {
      const keys = Array.from({ length: 1203 }, (_, i) => `data/${String(i % 7)}/${String(i).padStart(5, '0')}`);
      for (const k of keys) await storage.put(k, bytes(k));
      await storage.put('backups/1/manifest.json', bytes('{}'));
      await storage.put('datax', bytes('not under data/'));
      const listed = await collect(storage.list('data/'));
      expect(listed.map((o) => o.key)).toEqual([...keys].sort((a, b) => a.localeCompare(b)));
      expect(listed.every((o) => o.size === o.key.length)).toBe(true);
      expect((await collect(storage.list('data/3/'))).length).toBe(keys.filter((k) => k.startsWith('data/3/')).length);
      expect(await collect(storage.list('nothing-here/'))).toEqual([]);
    });

    it('lists with a partial name prefix', async () => {
      await storage.put('backups/20260101-a/manifest.json', bytes('1'));
      await storage.put('backups/20260102-b/manifest.json', bytes('2'));
      await storage.put('backups/20270101-c/manifest.json', bytes('3'));
      const listed = await collect(storage.list('backups/2026'));
      expect(listed.map((o) => o.key)).toEqual(['backups/20260101-a/manifest.json', 'backups/20260102-b/manifest.json']);
    });

    it('deletes, and deleting a missing key is fine', async () => {
      await storage.put('d', bytes('x'));
      await storage.delete('d');
      expect(await storage.stat('d')).toBeUndefined();
      await storage.delete('d');
      await storage.delete('never/existed');
    });

    it('rejects keys that could escape the repository', async () => {
      for (const bad of ['../x', '/abs', 'a/../b', 'a//b', 'a/', '']) {
        await expect(storage.put(bad, bytes('x')), bad).rejects.toThrow(/invalid storage key/);
      }
    });

    // Only where a put can be caught midway: MemoryStorage's put completes synchronously.
    const interruptPut = fixture.interruptPut;
    if (interruptPut)
      it('an interrupted write leaves no object behind', async () => {
        const err = await interruptPut(storage, 'partial/object', new Uint8Array(1_000_000));
        // Every storage reports an interruption the same way, so that it ends a run as exit 130, whatever the backend.
        if (err !== undefined) expect(err).toBeInstanceOf(InterruptedError);
        expect(await storage.stat('partial/object')).toBeUndefined();
        expect(await collect(storage.list('partial/'))).toEqual([]);
      });

    it('a staged put is whole or absent until a flush, and there after it; the last staged put of a key wins', async () => {
      await storage.put('staged/a', bytes('first'), { staged: true });
      await storage.put('staged/b', bytes('other'), { staged: true });
      await storage.put('staged/a', bytes('second'), { staged: true });
      for (const key of ['staged/a', 'staged/b']) {
        const seen = await storage.stat(key);
        if (fixture.stagesUntilFlush) expect(seen).toBeUndefined();
        // never a partial object: absent, or one of the versions written
        else if (seen) expect(['first', 'second', 'other'].map((v) => bytes(v).length)).toContain(seen.size);
      }
      if (fixture.stagesUntilFlush) expect(await collect(storage.list('staged/'))).toEqual([]);
      await storage.flush();
      expect(new TextDecoder().decode(await storage.get('staged/a'))).toBe('second');
      expect(new TextDecoder().decode(await storage.get('staged/b'))).toBe('other');
      expect(await collect(storage.list('staged/'))).toEqual([
        { key: 'staged/a', size: 6 },
        { key: 'staged/b', size: 5 },
      ]);
      // nothing left to flush: a second flush changes nothing
      await storage.flush();
      expect(await collect(storage.list('staged/'))).toHaveLength(2);
    });

    it('a staged put after an unstaged one of the same key replaces it only at the flush', async () => {
      await storage.put('k', bytes('durable'));
      await storage.put('k', bytes('staged'), { staged: true });
      const before = new TextDecoder().decode(await storage.get('k'));
      if (fixture.stagesUntilFlush) expect(before).toBe('durable');
      await storage.flush();
      expect(new TextDecoder().decode(await storage.get('k'))).toBe('staged');
    });

    it('honours an aborted signal: every operation rejects with InterruptedError', async () => {
      await storage.put('present', bytes('x'));
      const ctl = new AbortController();
      ctl.abort();
      const signal = ctl.signal;
      await expect(storage.put('aborted', bytes('x'), { signal })).rejects.toBeInstanceOf(InterruptedError);
      await expect(storage.get('present', { signal })).rejects.toBeInstanceOf(InterruptedError);
      await expect(storage.stat('present', { signal })).rejects.toBeInstanceOf(InterruptedError);
      await expect(storage.delete('present', { signal })).rejects.toBeInstanceOf(InterruptedError);
      await expect(collect(storage.list('', { signal }))).rejects.toBeInstanceOf(InterruptedError);
      expect(await storage.stat('aborted')).toBeUndefined();
      expect(await storage.stat('present')).toEqual({ key: 'present', size: 1 });
    });
  });
}
