// The one interface every repository backend implements (local disk now, S3 next).
// Keys are relative, '/'-separated paths. Implementations classify their own failures:
// NotFoundError for a missing key, StorageError with `retryable` for everything else.

export interface OpOptions {
  signal?: AbortSignal;
}

export interface PutOptions extends OpOptions {
  /**
   * Staged: the object needs to be durable and visible only after the next flush(), which lets a local
   * disk make many objects durable at once instead of one fsync (and a directory fsync) each. It is never
   * visible before its bytes are durable: a reader sees it whole, durable, or not at all. A storage whose
   * put is durable on its own (S3) writes it at once.
   */
  staged?: boolean;
}

export interface ByteRange {
  offset: number;
  length: number;
}

export interface ObjectInfo {
  key: string;
  size: number;
}

export interface Storage {
  /** Writes the whole object atomically: a reader sees the old object, the new one, or nothing. */
  put(key: string, data: Uint8Array, opts?: PutOptions): Promise<void>;
  /**
   * Makes every staged put that completed before this call durable and visible (a later put of the same
   * key wins). Whatever a failed flush did not commit stays staged for the next one.
   */
  flush(opts?: OpOptions): Promise<void>;
  /** Reads an object, or a byte range of it. Throws NotFoundError when it does not exist. */
  get(key: string, opts?: OpOptions & { range?: ByteRange }): Promise<Uint8Array>;
  /** Size of an object, or undefined when it does not exist. */
  stat(key: string, opts?: OpOptions): Promise<ObjectInfo | undefined>;
  /**
   * Every object whose key starts with `prefix`, in no particular order, complete across pages. A
   * listing shows every object whose put completed before it began (the repository lock relies on it).
   */
  list(prefix: string, opts?: OpOptions): AsyncIterable<ObjectInfo>;
  /** Removes an object; removing a missing object is not an error. */
  delete(key: string, opts?: OpOptions): Promise<void>;
  /** Where this storage is, for messages: a path or URL. */
  toString(): string;
}

const KEY = /^(?!\/)(?!.*\/\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[^\0\\]+(?<!\/)$/;

export function assertValidKey(key: string): void {
  if (!KEY.test(key)) throw new TypeError(`invalid storage key '${key}'`);
}
