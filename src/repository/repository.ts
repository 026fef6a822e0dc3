// The repository layout on any Storage:
//   config.json                   marks the repository (format, version, encryption); written last by init
//   keys/<id>.json                encrypted repositories: the master key, wrapped by one password each
//   data/<aa>/<id>                chunks, named by the SHA-256 of their bytes (plain) or the HMAC-SHA-256
//                                 of their plaintext (encrypted)
//   backups/<id>/manifest.json    one per complete backup, written after all of its chunks
//   runs/<id>.*.json              a backup in progress: its plan and what it has stored (backup-runs.ts)
//   sets/<name>/shard-<i>-of-<n>.json  a sharded backup's shard record (a manifest with set.shard), written
//                                 after the shard's chunks; the set's manifest is merged from all n
// A backup without a manifest does not exist for list, verify or restore. In an encrypted repository
// every chunk and manifest is sealed (object-codec.ts); locks stay readable.

import { hostname, userInfo } from 'node:os';
import { UsageError } from '../errors.js';
import type { CipherName } from '../crypto/aead.js';
import type { KdfCost } from '../crypto/kdf.js';
import { newMasterKey, type MasterKey } from '../crypto/master-key.js';
import { isSealed } from '../crypto/sealed-object.js';
import { BACKUP_ID, describeSchemaError, manifestSchema, SET_NAME, type ChunkEntry, type Manifest } from '../format/manifest.js';
import { completeSetManifest } from './backup-set.js';
import { NotFoundError } from '../errors.js';
import type { OpOptions, PutOptions, Storage } from '../storage/storage.js';
import { byCompletion } from './chain.js';
import {
  BackupNotFoundError,
  ChunkCorruptError,
  ChunkMissingError,
  ManifestInvalidError,
  ObjectTamperedError,
  RepositoryDamagedError,
  RepositoryExistsError,
} from './errors.js';
import { addKeyFile, assertUsablePassword, hasKeyFiles, KEYS_PREFIX, unlockMasterKey, type PasswordSource } from './key-store.js';
import { encryptedCodec, PLAIN_CODEC, type ObjectCodec } from './object-codec.js';
import { CONFIG_KEY, encodeConfig, newConfig, readConfig, type RepositoryConfig } from './repository-config.js';

export { sha256Hex } from './object-codec.js';

export function chunkKey(id: string): string {
  return `data/${id.slice(0, 2)}/${id}`;
}

export function manifestKey(id: string): string {
  return `backups/${id}/manifest.json`;
}

export const SETS_PREFIX = 'sets/';

export function shardRecordKey(set: string, shard: number, shards: number): string {
  return `${SETS_PREFIX}${set}/shard-${shard}-of-${shards}.json`;
}

export interface StoredChunk {
  key: string;
  /** The chunk's id (its name): SHA-256 of the stored bytes, or the HMAC of the plaintext when encrypted. */
  sha256: string;
  /** Bytes stored. */
  bytes: number;
  /** The same bytes were already in the repository (an earlier or interrupted backup wrote them). */
  reused: boolean;
}

export interface OpenOptions extends OpOptions {
  /** Asked only when the repository is encrypted. */
  password?: PasswordSource;
}

export interface InitOptions extends OpOptions {
  now: Date;
  /** Encrypt with a new random master key wrapped by this password; absent: a plain repository. */
  encryption?: { password: string; cipher?: CipherName; kdf?: KdfCost; host?: string; user?: string };
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

/**
 * A location without config.json but with keys, chunks or manifests is a damaged repository (or an
 * interrupted init): a new one there would bury the old master key or mix two repositories.
 */
async function refuseLeftovers(storage: Storage, opts?: OpOptions): Promise<void> {
  for (const prefix of [KEYS_PREFIX, 'data/', 'backups/', 'runs/', SETS_PREFIX]) {
    for await (const o of storage.list(prefix, opts)) {
      throw new RepositoryDamagedError(storage.toString(), `it has no ${CONFIG_KEY} but holds ${o.key}; init will not create a repository over it`, {
        hint: `if an earlier repository lost its ${CONFIG_KEY}, restore that file from a copy; if an init was interrupted, remove ${KEYS_PREFIX} and run init again`,
      });
    }
  }
}

export class Repository {
  private constructor(
    readonly storage: Storage,
    readonly config: RepositoryConfig,
    private readonly codec: ObjectCodec,
    private readonly unlocked?: { master: MasterKey; keyId: string },
  ) {}

  toString(): string {
    return this.storage.toString();
  }

  get encrypted(): boolean {
    return this.codec.encrypted;
  }

  /** The key file whose password opened this (encrypted) repository. */
  get keyId(): string | undefined {
    return this.unlocked?.keyId;
  }

  /** The master key, for adding a key file; only an encrypted repository has one. */
  get masterKey(): MasterKey | undefined {
    return this.unlocked?.master;
  }

  static async open(storage: Storage, opts: OpenOptions = {}): Promise<Repository> {
    const config = await readConfig(storage, opts);
    if (config.version === 1) {
      // Key files beside a plain config.json mean the config was replaced: writing plain chunks into
      // a repository that was encrypted would leak them.
      if (await hasKeyFiles(storage, opts)) {
        throw new RepositoryDamagedError(
          storage.toString(),
          `its ${CONFIG_KEY} says it is not encrypted, but it holds key files (${KEYS_PREFIX}); refusing to read or write it unencrypted`,
        );
      }
      if (opts.password?.expectsEncryption) {
        throw new UsageError(
          `the repository at ${storage} is not encrypted, but a repository password was given: if it was created encrypted, its ${CONFIG_KEY} and keys were replaced (do not write to it); if it is a plain repository, give no password for it`,
        );
      }
      return new Repository(storage, config, PLAIN_CODEC);
    }
    const unlocked = await unlockMasterKey(storage, config, opts.password, opts);
    return new Repository(storage, config, encryptedCodec(unlocked.master), unlocked);
  }

  /**
   * Creates a repository where there is none: the key file first, config.json last, so an interrupted
   * init leaves no repository.
   */
  static async init(storage: Storage, opts: InitOptions): Promise<Repository> {
    if (await storage.stat(CONFIG_KEY, opts)) throw new RepositoryExistsError(storage.toString());
    const enc = opts.encryption;
    if (enc) assertUsablePassword(enc.password, 'password of a new repository');
    const config = newConfig(opts.now, enc ? (enc.cipher ?? 'aes-256-gcm') : undefined);
    await refuseLeftovers(storage, opts);
    if (enc && config.version === 2) {
      const master = newMasterKey(config.encryption.cipher);
      await addKeyFile(
        storage,
        master,
        enc.password,
        { repositoryId: config.id, now: opts.now, host: enc.host ?? hostname(), user: enc.user ?? currentUser(), cost: enc.kdf },
        opts,
      );
    }
    await storage.put(CONFIG_KEY, encodeConfig(config), opts);
    return Repository.open(storage, { ...opts, password: enc ? async () => enc.password : undefined });
  }

  /**
   * Stores a chunk under its id. `staged`: it may become durable and visible only at the next document
   * written (putDocument flushes the storage first), so that a record never names a chunk that is not there.
   */
  async putChunk(data: Uint8Array, opts?: PutOptions): Promise<StoredChunk> {
    const id = this.codec.chunkId(data);
    const key = chunkKey(id);
    const stored = this.codec.seal(key, data);
    const existing = await this.storage.stat(key, opts);
    if (existing && existing.size === stored.length) return { key, sha256: id, bytes: stored.length, reused: true };
    await this.storage.put(key, stored, opts);
    return { key, sha256: id, bytes: stored.length, reused: false };
  }

  /** Reads a chunk and proves it is the one the manifest recorded (size, authentication, id). */
  async getChunk(entry: Pick<ChunkEntry, 'key' | 'bytes' | 'sha256'>, opts?: OpOptions): Promise<Uint8Array> {
    let stored: Uint8Array;
    try {
      stored = await this.storage.get(entry.key, opts);
    } catch (err) {
      if (err instanceof NotFoundError) throw new ChunkMissingError(entry.key, this.toString(), { cause: err });
      throw err;
    }
    if (stored.length !== entry.bytes) {
      throw new ChunkCorruptError(entry.key, this.toString(), `${stored.length} bytes, the manifest says ${entry.bytes}`);
    }
    const opened = this.codec.unseal(entry.key, stored);
    if (!opened.ok) throw new ObjectTamperedError('chunk', entry.key, this.toString(), opened.reason);
    const actual = this.codec.chunkId(opened.plaintext);
    if (actual !== entry.sha256) {
      const what = this.codec.encrypted ? 'keyed hash' : 'SHA-256';
      throw new ChunkCorruptError(entry.key, this.toString(), `${what} ${actual}, the manifest says ${entry.sha256}`);
    }
    return opened.plaintext;
  }

  async writeManifest(manifest: Manifest, opts?: OpOptions): Promise<void> {
    await this.putManifestObject(manifestKey(manifest.id), manifest, opts);
  }

  private async putManifestObject(key: string, manifest: Manifest, opts?: OpOptions): Promise<void> {
    const checked = manifestSchema.parse(manifest);
    await this.putDocument(key, checked, opts);
  }

  /** Stores a JSON document of the repository's layout (sealed when encrypted). */
  async putDocument(key: string, doc: unknown, opts?: OpOptions): Promise<void> {
    // Manifests, shard records and run journals name chunks: the staged ones become durable first.
    await this.storage.flush(opts);
    await this.storage.put(key, this.codec.seal(key, Buffer.from(`${JSON.stringify(doc, null, 1)}\n`)), opts);
  }

  /**
   * Reads a JSON document written by putDocument, proving it was not replaced or tampered with; what
   * it holds is for the caller to check. `what` names it in errors (e.g. 'manifest').
   */
  async getDocument(key: string, what: 'manifest' | 'backup run', opts?: OpOptions): Promise<unknown> {
    const raw = await this.storage.get(key, opts);
    if (!this.codec.encrypted && isSealed(raw)) {
      throw new RepositoryDamagedError(
        this.toString(),
        `${key} is encrypted, but ${CONFIG_KEY} says the repository is not: it was replaced; do not write to this repository`,
      );
    }
    const opened = this.codec.unseal(key, raw);
    if (!opened.ok) throw new ObjectTamperedError(what, key, this.toString(), opened.reason);
    try {
      return JSON.parse(opened.plaintext.toString('utf8'));
    } catch (err) {
      throw new ManifestInvalidError(key, this.toString(), `not JSON (${(err as Error).message})`, { what });
    }
  }

  async readManifest(id: string, opts?: OpOptions): Promise<Manifest> {
    // An id is never a path: '../x' must not become a storage key.
    if (!BACKUP_ID.test(id)) {
      // A set's name stands for the backup merged from its shards (or says why there is none yet).
      if (SET_NAME.test(id)) return completeSetManifest(this, id, opts);
      throw new UsageError(`'${id}' is not a backup id (they look like 20260131T120000Z-a1b2c3)`);
    }
    const key = manifestKey(id);
    let doc: unknown;
    try {
      doc = await this.getDocument(key, 'manifest', opts);
    } catch (err) {
      if (err instanceof NotFoundError) throw new BackupNotFoundError(`no complete backup '${id}' in ${this}`, { cause: err });
      throw err;
    }
    const m = this.checkManifest(key, doc);
    if (m.id !== id) throw new ManifestInvalidError(key, this.toString(), `it records id '${m.id}'`);
    return m;
  }

  private checkManifest(key: string, doc: unknown): Manifest {
    const r = manifestSchema.safeParse(doc);
    if (!r.success) throw new ManifestInvalidError(key, this.toString(), describeSchemaError(r.error));
    return r.data;
  }

  /** Stores one shard's record of a sharded backup (a manifest with `set.shard`); a rerun of the shard replaces it. */
  async writeShardRecord(record: Manifest, opts?: OpOptions): Promise<void> {
    const set = record.set;
    if (set?.shard === undefined) throw new Error(`backup ${record.id} is no shard record`);
    await this.putManifestObject(shardRecordKey(set.name, set.shard, set.shards), record, opts);
  }

  /** The shard records under sets/ (of one set, or of all), and the ones that could not be read. */
  async shardRecords(set?: string, opts?: OpOptions): Promise<{ records: Manifest[]; unreadable: Array<{ key: string; error: Error }> }> {
    const records: Manifest[] = [];
    const unreadable: Array<{ key: string; error: Error }> = [];
    for await (const o of this.storage.list(set === undefined ? SETS_PREFIX : `${SETS_PREFIX}${set}/`, opts)) {
      if (!/^sets\/[^/]+\/shard-\d+-of-\d+\.json$/.test(o.key)) continue;
      try {
        let doc: unknown;
        try {
          doc = await this.getDocument(o.key, 'manifest', opts);
        } catch (err) {
          if (err instanceof NotFoundError) continue; // removed since the listing (prune of a complete set)
          throw err;
        }
        const r = this.checkManifest(o.key, doc);
        if (r.set?.shard === undefined || o.key !== shardRecordKey(r.set.name, r.set.shard, r.set.shards)) {
          throw new ManifestInvalidError(o.key, this.toString(), `its set field ${JSON.stringify(r.set)} does not match its key`);
        }
        records.push(r);
      } catch (err) {
        if (err instanceof ManifestInvalidError || err instanceof ObjectTamperedError) unreadable.push({ key: o.key, error: err });
        else throw err;
      }
    }
    return { records, unreadable };
  }

  /** Removes a set's shard records (prune does, once the set's merged manifest exists). */
  async deleteShardRecords(records: readonly Manifest[], opts?: OpOptions): Promise<void> {
    for (const r of records) await this.storage.delete(shardRecordKey(r.set!.name, r.set!.shard!, r.set!.shards), opts);
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
        if (err instanceof ManifestInvalidError || err instanceof ObjectTamperedError) unreadable.push({ id, error: err });
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
