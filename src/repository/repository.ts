// The repository layout on any Storage:
//   config.json                   marks the repository (format and version)
//   data/<aa>/<sha256>            chunks, named by the SHA-256 of their bytes
//   backups/<id>/manifest.json    one per complete backup, written after all of its chunks
// A backup without a manifest does not exist for list, verify or restore.

import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError, UsageError } from '../errors.js';
import { BACKUP_ID, describeSchemaError, manifestSchema, type ChunkEntry, type Manifest } from '../format/manifest.js';
import type { OpOptions, Storage } from '../storage/storage.js';
import { byCompletion } from './chain.js';
import { BackupNotFoundError, ChunkCorruptError, ChunkMissingError, ManifestInvalidError, RepositoryDamagedError, RepositoryNotFoundError } from './errors.js';

const CONFIG_KEY = 'config.json';
const REPOSITORY_FORMAT = 'tsdb-backup-repository';
const configSchema = z.object({ format: z.literal(REPOSITORY_FORMAT), version: z.literal(1), id: z.string(), createdAt: z.string() });

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function chunkKey(sha256: string): string {
  return `data/${sha256.slice(0, 2)}/${sha256}`;
}

export function manifestKey(id: string): string {
  return `backups/${id}/manifest.json`;
}

export interface StoredChunk {
  key: string;
  sha256: string;
  bytes: number;
  /** The same bytes were already in the repository (an earlier or interrupted backup wrote them). */
  reused: boolean;
}

export class Repository {
  private constructor(readonly storage: Storage) {}

  toString(): string {
    return this.storage.toString();
  }

  static async open(storage: Storage, opts?: OpOptions): Promise<Repository> {
    let raw: Uint8Array;
    try {
      raw = await storage.get(CONFIG_KEY, opts);
    } catch (err) {
      if (err instanceof NotFoundError) throw new RepositoryNotFoundError(storage.toString(), { cause: err });
      throw err;
    }
    // A config.json that is there but unreadable is damage (exit 4), not an empty location (exit 10);
    // only one that is plainly another tool's file means there is no repository here.
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch (err) {
      throw new RepositoryDamagedError(storage.toString(), `its ${CONFIG_KEY} is not JSON (${(err as Error).message})`);
    }
    const format = (parsed as { format?: unknown } | null)?.format;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && format !== undefined && format !== REPOSITORY_FORMAT) {
      throw new RepositoryNotFoundError(`${storage} (its ${CONFIG_KEY} is not a tsdb-backup repository's: format '${String(format)}')`);
    }
    const r = configSchema.safeParse(parsed);
    if (!r.success) throw new RepositoryDamagedError(storage.toString(), `${CONFIG_KEY}: ${describeSchemaError(r.error)}`);
    return new Repository(storage);
  }

  /** Opens the repository, creating it first when the location holds none. */
  static async openOrInit(storage: Storage, now: Date, opts?: OpOptions): Promise<Repository> {
    if (!(await storage.stat(CONFIG_KEY, opts))) {
      const config = { format: REPOSITORY_FORMAT, version: 1, id: randomUUID(), createdAt: now.toISOString() };
      await storage.put(CONFIG_KEY, Buffer.from(`${JSON.stringify(config, null, 2)}\n`), opts);
    }
    return Repository.open(storage, opts);
  }

  async putChunk(data: Uint8Array, opts?: OpOptions): Promise<StoredChunk> {
    const sha256 = sha256Hex(data);
    const key = chunkKey(sha256);
    const existing = await this.storage.stat(key, opts);
    if (existing && existing.size === data.length) return { key, sha256, bytes: data.length, reused: true };
    await this.storage.put(key, data, opts);
    return { key, sha256, bytes: data.length, reused: false };
  }

  /** Reads a chunk and proves it is the one the manifest recorded (size and SHA-256). */
  async getChunk(entry: Pick<ChunkEntry, 'key' | 'bytes' | 'sha256'>, opts?: OpOptions): Promise<Uint8Array> {
    let data: Uint8Array;
    try {
      data = await this.storage.get(entry.key, opts);
    } catch (err) {
      if (err instanceof NotFoundError) throw new ChunkMissingError(entry.key, this.toString(), { cause: err });
      throw err;
    }
    if (data.length !== entry.bytes) {
      throw new ChunkCorruptError(entry.key, this.toString(), `${data.length} bytes, the manifest says ${entry.bytes}`);
    }
    const actual = sha256Hex(data);
    if (actual !== entry.sha256) {
      throw new ChunkCorruptError(entry.key, this.toString(), `SHA-256 ${actual}, the manifest says ${entry.sha256}`);
    }
    return data;
  }

  async writeManifest(manifest: Manifest, opts?: OpOptions): Promise<void> {
    const checked = manifestSchema.parse(manifest);
    await this.storage.put(manifestKey(checked.id), Buffer.from(`${JSON.stringify(checked, null, 1)}\n`), opts);
  }

  async readManifest(id: string, opts?: OpOptions): Promise<Manifest> {
    // An id is never a path: '../x' must not become a storage key.
    if (!BACKUP_ID.test(id)) throw new UsageError(`'${id}' is not a backup id (they look like 20260131T120000Z-a1b2c3)`);
    const key = manifestKey(id);
    let raw: Uint8Array;
    try {
      raw = await this.storage.get(key, opts);
    } catch (err) {
      if (err instanceof NotFoundError) throw new BackupNotFoundError(`no complete backup '${id}' in ${this}`, { cause: err });
      throw err;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch (err) {
      throw new ManifestInvalidError(key, this.toString(), `not JSON (${(err as Error).message})`);
    }
    const r = manifestSchema.safeParse(doc);
    if (!r.success) throw new ManifestInvalidError(key, this.toString(), describeSchemaError(r.error));
    if (r.data.id !== id) throw new ManifestInvalidError(key, this.toString(), `it records id '${r.data.id}'`);
    return r.data;
  }

  /** Ids of all complete backups (those with a manifest), oldest first. */
  async backupIds(opts?: OpOptions): Promise<string[]> {
    const ids: string[] = [];
    for await (const o of this.storage.list('backups/', opts)) {
      const m = /^backups\/([^/]+)\/manifest\.json$/.exec(o.key);
      if (m) ids.push(m[1]!);
    }
    return ids.sort();
  }

  /** Every readable manifest, oldest first, and the ones that could not be read. */
  async manifests(opts?: OpOptions): Promise<{ manifests: Manifest[]; unreadable: Array<{ id: string; error: Error }> }> {
    const manifests: Manifest[] = [];
    const unreadable: Array<{ id: string; error: Error }> = [];
    for (const id of await this.backupIds(opts)) {
      try {
        manifests.push(await this.readManifest(id, opts));
      } catch (err) {
        if (err instanceof ManifestInvalidError) unreadable.push({ id, error: err });
        else throw err;
      }
    }
    return { manifests, unreadable };
  }

  /** The named backup, or the newest complete one. */
  async resolve(id: string | undefined, opts?: OpOptions): Promise<Manifest> {
    if (id) return this.readManifest(id, opts);
    const { manifests } = await this.manifests(opts);
    const newest = manifests.sort(byCompletion).at(-1);
    if (!newest) throw new BackupNotFoundError(`${this} holds no complete backup`);
    return newest;
  }
}
