// A Storage on the local filesystem. Writes go to a temporary file in the same directory, are fsynced,
// renamed over the final name and the directory is fsynced: an object is either whole or absent.
// A staged put writes its temporary file only; flush() fsyncs every staged file at once, renames them
// and fsyncs each of their directories once. An fsync each (of the file and of its directory) cost
// ~1-4 ms per object here, which 10,000 one-chunk metrics paid one after the other.

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { InterruptedError, NotFoundError, StorageError, throwIfAborted } from '../errors.js';
import { makeDirectory } from '../fs/make-directory.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../fs/private-modes.js';
import { assertValidKey, type ByteRange, type ObjectInfo, type OpOptions, type PutOptions, type Storage } from './storage.js';

const TEMP_MARK = '.tmp-';
const RETRYABLE = new Set(['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'ETIMEDOUT', 'EINTR']);
const HINTS: Record<string, string> = {
  ENOSPC: 'the disk is full; free space and run again (nothing written so far is lost)',
  EDQUOT: 'the disk quota is exhausted',
  EACCES: 'check the permissions of the repository directory',
  EPERM: 'check the permissions of the repository directory',
  EROFS: 'the repository is on a read-only filesystem',
  ENOENT: 'the repository directory cannot be created there; choose another place',
};

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** A staged put: its complete temporary file, not yet fsynced nor renamed. */
interface Staged {
  key: string;
  temp: string;
  target: string;
  /** Still open (saves reopening it to fsync it), while few staged files are. */
  handle?: FileHandle;
}

/** Staged files kept open until the flush; past this, one is closed and reopened by the flush. */
const MAX_OPEN_STAGED = 256;

export class LocalStorage implements Storage {
  /** Staged puts in the order they completed. */
  private staged: Staged[] = [];
  /** Directories with renames not yet fsynced (left by a flush that failed). */
  private readonly unsyncedDirs = new Set<string>();
  private flushing: Promise<void> = Promise.resolve();
  private openStaged = 0;
  /** Directories this storage created or found: a put into one skips the mkdir (a syscall per object). */
  private readonly knownDirs = new Set<string>();

  constructor(readonly root: string) {}

  private file(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  private fail(action: string, key: string, err: unknown, signal?: AbortSignal): never {
    // An interruption wins over whatever the filesystem call threw when it was cut off (AbortError, EBADF...).
    if (err instanceof InterruptedError) throw err;
    throwIfAborted(signal);
    const code = errnoOf(err);
    // A write that meets ENOENT could not create the key's directory (under /proc, say): that is no missing object.
    if (code === 'ENOENT' && action !== 'write') throw new NotFoundError(`${key} does not exist in ${this}`, { cause: err });
    const what = `cannot ${action} ${key} in ${this}: ${(err as Error).message}`;
    throw new StorageError(what, { cause: err, retryable: code !== undefined && RETRYABLE.has(code), hint: code ? HINTS[code] : undefined });
  }

  /** Writes a complete temporary file, then renames it over the key: a reader never sees a partial object. */
  async put(key: string, data: Uint8Array, opts?: PutOptions): Promise<void> {
    const target = this.file(key);
    const dir = path.dirname(target);
    const temp = `${target}${TEMP_MARK}${randomBytes(6).toString('hex')}`;
    try {
      throwIfAborted(opts?.signal);
      const handle = await this.createTemp(dir, temp);
      let keepOpen = false;
      try {
        await handle.writeFile(data, { signal: opts?.signal });
        if (!opts?.staged) await handle.sync();
        keepOpen = opts?.staged === true && this.openStaged < MAX_OPEN_STAGED;
      } finally {
        if (!keepOpen) await handle.close();
      }
      if (opts?.staged) {
        if (keepOpen) this.openStaged++;
        this.staged.push({ key, temp, target, ...(keepOpen ? { handle } : {}) });
        return;
      }
      // The last moment an interruption can still leave nothing behind.
      throwIfAborted(opts?.signal);
      await rename(temp, target);
      await this.syncDir(dir);
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      this.fail('write', key, err, opts?.signal);
    }
  }

  private async createTemp(dir: string, temp: string): Promise<FileHandle> {
    const create = (): Promise<FileHandle> => open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE_FILE_MODE);
    if (this.knownDirs.has(dir)) {
      try {
        return await create();
      } catch (err) {
        // removed meanwhile (prune of an emptied directory, an operator): create it again
        if (errnoOf(err) !== 'ENOENT') throw err;
        this.knownDirs.delete(dir);
      }
    }
    // Only the directories created here get the mode: the operator's own keep theirs.
    await makeDirectory(dir, PRIVATE_DIR_MODE);
    const handle = await create();
    this.knownDirs.add(dir);
    return handle;
  }

  flush(opts?: OpOptions): Promise<void> {
    // One flush at a time: a flush called while another runs also waits for what that one commits.
    const run = this.flushing.then(() => this.commitStaged(opts?.signal));
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async commitStaged(signal?: AbortSignal): Promise<void> {
    const batch = this.staged;
    if (batch.length === 0 && this.unsyncedDirs.size === 0) return;
    this.staged = [];
    // Of several staged puts of one key, the last wins; the others' files are only removed.
    const last = new Map(batch.map((s) => [s.key, s]));
    const superseded = batch.filter((s) => last.get(s.key) !== s);
    const todo = new Set(last.values());
    let current: Staged | undefined;
    try {
      // Every file is closed here, whatever happens: a failed flush keeps paths, not descriptors.
      await Promise.all([...todo, ...superseded].map((s) => this.closeStaged(s, todo.has(s) && !signal?.aborted)));
      throwIfAborted(signal);
      // Renamed one by one: each rename is recorded before the next, so a failure leaves an exact rest.
      for (const s of todo) {
        current = s;
        await rename(s.temp, s.target);
        todo.delete(s);
        this.unsyncedDirs.add(path.dirname(s.target));
      }
      current = undefined;
      const dirs = [...this.unsyncedDirs];
      await Promise.all(dirs.map((d) => this.syncDir(d)));
      for (const d of dirs) this.unsyncedDirs.delete(d);
      await Promise.all(superseded.map((s) => unlink(s.temp).catch(() => undefined)));
    } catch (err) {
      // What was not committed is staged again, before what was staged meanwhile (which is newer).
      this.staged = [...superseded, ...todo, ...this.staged];
      this.fail('commit', current?.key ?? `${batch.length} staged objects`, err, signal);
    }
  }

  /** Closes a staged file, fsynced first when `sync` (reopened for it if it was closed already). */
  private async closeStaged(s: Staged, sync: boolean): Promise<void> {
    const handle = s.handle ?? (sync ? await open(s.temp, constants.O_RDONLY) : undefined);
    if (s.handle) {
      s.handle = undefined;
      this.openStaged--;
    }
    if (!handle) return;
    try {
      if (sync) await handle.sync();
    } finally {
      await handle.close();
    }
  }

  private async syncDir(dir: string): Promise<void> {
    const handle = await open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async get(key: string, opts?: OpOptions & { range?: ByteRange }): Promise<Uint8Array> {
    const file = this.file(key);
    try {
      throwIfAborted(opts?.signal);
      const handle = await open(file, constants.O_RDONLY);
      try {
        if (!opts?.range) return new Uint8Array(await handle.readFile());
        const { offset, length } = opts.range;
        const size = (await handle.stat()).size;
        const n = Math.max(0, Math.min(length, size - offset));
        const buf = new Uint8Array(n);
        let done = 0;
        while (done < n) {
          const { bytesRead } = await handle.read(buf, done, n - done, offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return buf.subarray(0, done);
      } finally {
        await handle.close();
      }
    } catch (err) {
      this.fail('read', key, err, opts?.signal);
    }
  }

  async stat(key: string, opts?: OpOptions): Promise<ObjectInfo | undefined> {
    throwIfAborted(opts?.signal);
    try {
      const s = await stat(this.file(key));
      return s.isFile() ? { key, size: s.size } : undefined;
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return undefined;
      this.fail('stat', key, err, opts?.signal);
    }
  }

  async *list(prefix: string, opts?: OpOptions): AsyncIterable<ObjectInfo> {
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash >= 0 ? prefix.slice(0, slash) : '';
    yield* this.walk(dirKey, prefix, opts);
  }

  private async *walk(dirKey: string, prefix: string, opts?: OpOptions): AsyncIterable<ObjectInfo> {
    throwIfAborted(opts?.signal);
    const dir = dirKey ? path.join(this.root, ...dirKey.split('/')) : this.root;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return;
      this.fail('list', dirKey || '/', err, opts?.signal);
    }
    for (const entry of entries) {
      const key = dirKey ? `${dirKey}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(key, prefix, opts);
      } else if (entry.isFile() && key.startsWith(prefix) && !entry.name.includes(TEMP_MARK)) {
        const info = await this.stat(key);
        if (info) yield info;
      }
    }
  }

  async delete(key: string, opts?: OpOptions): Promise<void> {
    throwIfAborted(opts?.signal);
    try {
      await rm(this.file(key), { force: true });
    } catch (err) {
      this.fail('delete', key, err, opts?.signal);
    }
  }

  toString(): string {
    return this.root;
  }
}
