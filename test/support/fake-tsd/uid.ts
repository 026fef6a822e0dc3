/**
 * net.opentsdb.uid.UniqueId as 2.4.1 behaves, including its quirks:
 * - names are stored in the tsdb-uid table as ISO-8859-1 bytes (UniqueId.CHARSET): characters
 *   outside Latin-1 become '?' in storage, so "東京" is stored as "??" and every other two-char
 *   CJK name maps to the same UID row;
 * - the in-process caches keep the original Java string, so the TSD that wrote "東京" keeps
 *   answering "東京" until it restarts (see {@link UniqueIdTable.dropCaches});
 * - a second name with the same stored bytes clashes in the id cache: the first call fails with
 *   IllegalStateException ("id=[...] => name=..., already mapped to ..."), later calls succeed
 *   (the name cache was filled before the check) and write to the first name's UID;
 * - UIDs are 3 bytes, allocated sequentially from 1 per kind (UniqueIdAllocator / MAXID row);
 * - suggest() scans the forward rows in byte order between the prefix and its last byte + 1,
 *   or between '!' and '~' (exclusive) for an empty prefix, and stops at (short) size >= max.
 */
import { IllegalState, NoSuchUniqueId, NoSuchUniqueName } from './errors.js';

export type UidKind = 'metrics' | 'tagk' | 'tagv';

export const UID_WIDTH = 3;

/** Java String.getBytes(ISO_8859_1) as a "binary string" (one char per byte). */
export function toLatin1Bytes(name: string): string {
  let out = '';
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    out += cp <= 0xff ? ch : '?';
  }
  return out;
}

export function uidToBytes(uid: number): Uint8Array {
  return new Uint8Array([(uid >>> 16) & 0xff, (uid >>> 8) & 0xff, uid & 0xff]);
}

/** UniqueId.uidToString: upper-case hex. */
export function uidToHex(uid: number): string {
  return uid
    .toString(16)
    .toUpperCase()
    .padStart(UID_WIDTH * 2, '0');
}

function javaBytes(uid: number): string {
  return '[' + Array.from(uidToBytes(uid), (b) => (b > 127 ? b - 256 : b)).join(', ') + ']';
}

function compareBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class UniqueIdTable {
  /** forward rows: latin-1 bytes of the name -> uid */
  private readonly forward = new Map<string, number>();
  /** reverse rows: uid -> latin-1 bytes */
  private readonly reverse = new Map<number, string>();
  private maxId = 0;
  private readonly nameCache = new Map<string, number>();
  private readonly idCache = new Map<number, string>();

  constructor(
    readonly kind: UidKind,
    readonly tableName = 'tsdb-uid',
  ) {}

  toString(): string {
    return `UniqueId(${this.tableName}, ${this.kind}, ${UID_WIDTH})`;
  }

  private addIdToCache(name: string, id: number): void {
    const found = this.nameCache.get(name);
    if (found === undefined) this.nameCache.set(name, id);
    else if (found !== id) throw new IllegalState(`name=${name} => id=${javaBytes(id)}, already mapped to ${javaBytes(found)}`);
  }

  private addNameToCache(id: number, name: string): void {
    const found = this.idCache.get(id);
    if (found === undefined) this.idCache.set(id, name);
    else if (found !== name) throw new IllegalState(`id=${javaBytes(id)} => name=${name}, already mapped to ${found}`);
  }

  private cacheMapping(name: string, id: number): void {
    this.addIdToCache(name, id);
    this.addNameToCache(id, name);
  }

  /** getId / getIdAsync: throws NoSuchUniqueName or IllegalState. */
  getId(name: string): number {
    const cached = this.nameCache.get(name);
    if (cached !== undefined) return cached;
    const id = this.forward.get(toLatin1Bytes(name));
    if (id === undefined) throw new NoSuchUniqueName(this.kind, name);
    this.addIdToCache(name, id);
    this.addNameToCache(id, name);
    return id;
  }

  /** getOrCreateId (UniqueIdAllocator: reverse mapping first, then forward with CAS). */
  getOrCreateId(name: string): number {
    try {
      return this.getId(name);
    } catch (e) {
      if (!(e instanceof NoSuchUniqueName)) throw e;
    }
    const key = toLatin1Bytes(name);
    const existing = this.forward.get(key);
    if (existing !== undefined) {
      this.cacheMapping(name, existing);
      return existing;
    }
    const id = ++this.maxId;
    this.reverse.set(id, key);
    this.forward.set(key, id);
    this.cacheMapping(name, id);
    return id;
  }

  /** getNameAsync: the cached Java string, else the stored latin-1 bytes decoded. */
  getName(id: number): string {
    const cached = this.idCache.get(id);
    if (cached !== undefined) return cached;
    const bytes = this.reverse.get(id);
    if (bytes === undefined) throw new NoSuchUniqueId(this.kind, uidToBytes(id));
    this.addNameToCache(id, bytes);
    this.addIdToCache(bytes, id);
    return bytes;
  }

  /** UniqueId.suggest(search, max). Throws like the real one wraps: see rpc-suggest. */
  suggest(search: string, maxResults: number): string[] {
    let start: string;
    let stop: string | null;
    if (search === '') {
      start = '!';
      stop = '~';
    } else {
      start = toLatin1Bytes(search);
      const last = start.charCodeAt(start.length - 1);
      const bumped = (last + 1) & 0xff; // Java byte++ wraps; 0xFF+1 -> 0x00 gives an empty range
      stop = start.slice(0, -1) + String.fromCharCode(bumped);
    }
    const rows = [...this.forward.entries()].filter(([k]) => compareBinary(k, start) >= 0 && (stop === null || compareBinary(k, stop) < 0));
    rows.sort((a, b) => compareBinary(a[0], b[0]));
    const out: string[] = [];
    for (const [key, id] of rows) {
      const name = key; // fromBytes(ISO-8859-1)
      const cachedId = this.nameCache.get(name);
      if (cachedId === undefined) this.cacheMapping(name, id);
      else if (cachedId !== id) {
        throw new IllegalState(`WTF?  For kind=${this.kind} name=${name}, we have id=${javaBytes(cachedId)} in cache, but just scanned id=${javaBytes(id)}`);
      }
      out.push(name);
      // (short) suggestions.size() >= max_results
      const asShort = (out.length << 16) >> 16;
      if (asShort >= maxResults) break;
    }
    return out;
  }

  /** Every stored (latin-1) name with its uid, for tests and dumps. */
  storedNames(): Array<{ name: string; uid: number }> {
    return [...this.forward.entries()].map(([name, uid]) => ({ name, uid }));
  }

  /** What a TSD restart does: drop the in-memory caches (names are then read back as latin-1). */
  dropCaches(): void {
    this.nameCache.clear();
    this.idCache.clear();
  }
}
