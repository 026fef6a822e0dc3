/**
 * Iteration order of java.util.HashMap / ConcurrentHashMap (JDK 8+), so that JSON objects the
 * real TSD builds from hash maps (tags, put summaries, /api/version, uid assign answers, ...)
 * come out with their keys in the same order. Tree bins (8+ colliding keys) are not modelled.
 */

/** Java `String.hashCode()` over UTF-16 code units. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

function tableSizeFor(c: number): number {
  let n = 1;
  while (n < c && n < 1 << 30) n <<= 1;
  return n;
}

/** How the map was built, which decides the final table size. */
export type JavaMapConstruction =
  | { kind: 'default' } // new HashMap<>() then put() each key (also Jackson deserialisation)
  | { kind: 'capacity'; initialCapacity: number } // new HashMap<>(n) then put() each key
  | { kind: 'copy' }; // new HashMap<>(otherMap) or new HashMap<>().putAll(otherMap)

/** Final table capacity of a HashMap holding `size` keys built as described. */
export function hashMapCapacity(size: number, how: JavaMapConstruction): number {
  let cap: number;
  if (how.kind === 'default') {
    cap = 16;
  } else if (how.kind === 'capacity') {
    cap = tableSizeFor(Math.max(how.initialCapacity, 0));
  } else {
    if (size === 0) return 16;
    const ft = Math.fround(Math.fround(size / 0.75) + 1);
    cap = tableSizeFor(Math.trunc(ft));
  }
  let threshold = Math.trunc(cap * 0.75);
  let n = 0;
  while (n < size) {
    n++;
    if (n > threshold) {
      cap *= 2;
      threshold = Math.trunc(cap * 0.75);
    }
  }
  return cap;
}

/** Keys (given in insertion order, duplicates removed) in HashMap iteration order. */
export function javaHashMapOrder(keysInInsertionOrder: readonly string[], how: JavaMapConstruction = { kind: 'default' }): string[] {
  const keys = [...new Set(keysInInsertionOrder)];
  const cap = hashMapCapacity(keys.length, how);
  const idx = keys.map((k, i) => {
    const h = javaStringHash(k);
    return { k, i, b: (h ^ (h >>> 16)) & (cap - 1) };
  });
  idx.sort((a, b) => a.b - b.b || a.i - b.i);
  return idx.map((e) => e.k);
}

/**
 * Keys in ConcurrentHashMap iteration order for `new ConcurrentHashMap<>(initialCapacity)`, valid
 * while the map never resized (fewer keys than 3/4 of the table, e.g. the 3-key lookup results).
 */
export function javaConcurrentHashMapOrder(keysInInsertionOrder: readonly string[], initialCapacity: number): string[] {
  const keys = [...new Set(keysInInsertionOrder)];
  const cap = tableSizeFor(Math.trunc(1 + initialCapacity / 0.75));
  if (keys.length >= cap * 0.75) throw new Error('javaConcurrentHashMapOrder: resized maps are not modelled');
  const idx = keys.map((k, i) => {
    const h = javaStringHash(k);
    return { k, i, b: (h ^ (h >>> 16)) & 0x7fffffff & (cap - 1) };
  });
  idx.sort((a, b) => a.b - b.b || a.i - b.i);
  return idx.map((e) => e.k);
}

/** Re-orders a record's entries as a Java HashMap built the given way would iterate them. */
export function asJavaHashMap<V>(
  entriesInInsertionOrder: ReadonlyArray<readonly [string, V]>,
  how: JavaMapConstruction = { kind: 'default' },
): Array<[string, V]> {
  const map = new Map<string, V>();
  for (const [k, v] of entriesInInsertionOrder) map.set(k, v);
  return javaHashMapOrder([...map.keys()], how).map((k) => [k, map.get(k) as V]);
}

/** Java `AbstractMap.toString()`: "{k1=v1, k2=v2}". */
export function javaMapToString(entries: ReadonlyArray<readonly [string, string | null]>): string {
  return '{' + entries.map(([k, v]) => `${k}=${v}`).join(', ') + '}';
}

/** Java `String.compareTo` (UTF-16 code unit order), as TreeMap<String, ...> sorts. */
export function javaStringCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
