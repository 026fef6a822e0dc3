// The key files of an encrypted repository (keys/<id>.json): reading them, opening the repository's
// master key with a password, adding and removing keys.

import { NotFoundError, UsageError } from '../errors.js';
import { describeSchemaError } from '../format/manifest.js';
import { keyFileKey, keyFileSchema, unwrapMasterKey, wrapMasterKey, type KeyFile, type KeyFileOrigin } from '../crypto/key-file.js';
import type { MasterKey } from '../crypto/master-key.js';
import type { OpOptions, Storage } from '../storage/storage.js';
import { PasswordRequiredError, RepositoryDamagedError, WrongPasswordError } from './errors.js';
import type { EncryptedConfig } from './repository-config.js';

export const KEYS_PREFIX = 'keys/';

/** Gives the password when asked; asked only for an encrypted repository. */
export interface PasswordSource {
  (): Promise<string>;
  /**
   * The operator gave a password (a file, a command, the environment): a plain repository is then
   * refused, since an encrypted one whose config.json and keys were replaced looks plain.
   */
  expectsEncryption?: boolean;
}

/** A password must hold more than white space. */
export function assertUsablePassword(password: string, what: string): void {
  if (!password.trim()) throw new UsageError(`the ${what} must not be empty or only white space`);
}

export interface KeyFiles {
  files: KeyFile[];
  /** Key files that are not valid JSON key files, by key: never used, reported. */
  invalid: Array<{ key: string; detail: string }>;
}

export async function hasKeyFiles(storage: Storage, opts?: OpOptions): Promise<boolean> {
  for await (const o of storage.list(KEYS_PREFIX, opts)) if (/^keys\/[^/]+\.json$/.test(o.key)) return true;
  return false;
}

export async function readKeyFiles(storage: Storage, opts?: OpOptions): Promise<KeyFiles> {
  const out: KeyFiles = { files: [], invalid: [] };
  const keys: string[] = [];
  for await (const o of storage.list(KEYS_PREFIX, opts)) if (/^keys\/[^/]+\.json$/.test(o.key)) keys.push(o.key);
  for (const key of keys.sort()) {
    let raw: Uint8Array;
    try {
      raw = await storage.get(key, opts);
    } catch (err) {
      if (err instanceof NotFoundError) continue; // removed meanwhile
      throw err;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch (err) {
      out.invalid.push({ key, detail: `not JSON (${(err as Error).message})` });
      continue;
    }
    const r = keyFileSchema.safeParse(doc);
    if (!r.success) out.invalid.push({ key, detail: describeSchemaError(r.error) });
    else if (keyFileKey(r.data.id) !== key) out.invalid.push({ key, detail: `it records id '${r.data.id}'` });
    else out.files.push(r.data);
  }
  return out;
}

export interface Unlocked {
  master: MasterKey;
  /** The key file the password opened. */
  keyId: string;
}

/** Finds the key file the password opens (oldest first) and checks its master key against config.json. */
export async function unlockMasterKey(storage: Storage, config: EncryptedConfig, password: PasswordSource | undefined, opts?: OpOptions): Promise<Unlocked> {
  const where = storage.toString();
  if (!password) throw new PasswordRequiredError(`the repository at ${where} is encrypted and no password was given`);
  const { files, invalid } = await readKeyFiles(storage, opts);
  if (files.length === 0) {
    const why = invalid.length ? `its key files are invalid (${invalid.map((i) => `${i.key}: ${i.detail}`).join('; ')})` : 'it has no key file';
    throw new RepositoryDamagedError(where, `${why}, so nothing can open it`);
  }
  const secret = await password();
  files.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  // A key file this password opens but that is not this repository's (a stray copy, a concurrent
  // init) must not hide one that works: it is reported only when no key opens the repository.
  const foreign: string[] = [];
  for (const file of files) {
    const r = await unwrapMasterKey(file, secret, config.id);
    if (r.ok && r.master.cipher === config.encryption.cipher) return { master: r.master, keyId: file.id };
    if (r.ok) foreign.push(`key ${file.id} holds a master key for ${r.master.cipher}, but config.json names cipher ${config.encryption.cipher}`);
    else if (r.reason === 'invalid') foreign.push(`key ${file.id}: ${r.detail}`);
  }
  if (foreign.length > 0) throw new RepositoryDamagedError(where, `the password opens no key of this repository (${foreign.join('; ')})`);
  throw new WrongPasswordError(where, files.length);
}

export async function addKeyFile(storage: Storage, master: MasterKey, password: string, origin: KeyFileOrigin, opts?: OpOptions): Promise<KeyFile> {
  const file = await wrapMasterKey(master, password, origin);
  await storage.put(keyFileKey(file.id), Buffer.from(`${JSON.stringify(file, null, 2)}\n`), opts);
  return file;
}

export async function removeKeyFile(storage: Storage, id: string, opts?: OpOptions): Promise<void> {
  await storage.delete(keyFileKey(id), opts);
}
