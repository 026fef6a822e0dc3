// `key list|add|remove|passwd` on an opened encrypted repository. A key is removed only when another
// one remains that opens the repository, and never the key this run was opened with (restic's rule):
// a typo in an id must not lock the operator out.

import { hostname, userInfo } from 'node:os';
import { UsageError } from '../errors.js';
import type { KdfCost } from '../crypto/kdf.js';
import type { KeyFile } from '../crypto/key-file.js';
import type { OpOptions } from '../storage/storage.js';
import { addKeyFile, assertUsablePassword, readKeyFiles, removeKeyFile } from './key-store.js';
import type { Repository } from './repository.js';

export interface KeySummary {
  id: string;
  createdAt: string;
  host: string;
  user: string;
  /** N, r, p of the key's scrypt. */
  kdf: string;
  /** The key this run's password opened. */
  current: boolean;
}

export interface KeyListing {
  keys: KeySummary[];
  invalid: Array<{ key: string; detail: string }>;
}

export interface NewKeyOptions extends OpOptions {
  now: Date;
  host?: string;
  user?: string;
  /** scrypt cost of the new key (default: DEFAULT_KDF_COST). */
  kdf?: KdfCost;
}

function encryptedOnly(repo: Repository): { keyId: string } {
  if (!repo.encrypted || !repo.keyId) throw new UsageError(`the repository at ${repo} is not encrypted: it has no keys`);
  return { keyId: repo.keyId };
}

function summary(f: KeyFile, current: string): KeySummary {
  return { id: f.id, createdAt: f.createdAt, host: f.host, user: f.user, kdf: `scrypt N=${f.kdf.N} r=${f.kdf.r} p=${f.kdf.p}`, current: f.id === current };
}

export async function listKeys(repo: Repository, opts?: OpOptions): Promise<KeyListing> {
  const { keyId } = encryptedOnly(repo);
  const { files, invalid } = await readKeyFiles(repo.storage, opts);
  return { keys: files.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((f) => summary(f, keyId)), invalid };
}

function whoami(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

export async function addKey(repo: Repository, password: string, opts: NewKeyOptions): Promise<KeySummary> {
  const { keyId } = encryptedOnly(repo);
  assertUsablePassword(password, 'new password');
  const file = await addKeyFile(
    repo.storage,
    repo.masterKey!,
    password,
    { repositoryId: repo.config.id, now: opts.now, host: opts.host ?? hostname(), user: opts.user ?? whoami(), cost: opts.kdf },
    opts,
  );
  return summary(file, keyId);
}

/** The key an id or unique id prefix names. */
async function resolveKey(repo: Repository, idOrPrefix: string, opts?: OpOptions): Promise<{ file: KeyFile; all: KeyFile[] }> {
  const { files } = await readKeyFiles(repo.storage, opts);
  const matches = files.filter((f) => f.id.startsWith(idOrPrefix.toLowerCase()));
  if (!idOrPrefix || matches.length === 0) throw new UsageError(`no key '${idOrPrefix}' in ${repo}; \`tsdb-backup key list\` shows them`);
  if (matches.length > 1) throw new UsageError(`'${idOrPrefix}' names ${matches.length} keys (${matches.map((m) => m.id).join(', ')}); give more of the id`);
  return { file: matches[0]!, all: files };
}

export async function removeKey(repo: Repository, idOrPrefix: string, opts?: OpOptions): Promise<KeySummary> {
  const { keyId } = encryptedOnly(repo);
  const { file, all } = await resolveKey(repo, idOrPrefix, opts);
  if (file.id === keyId)
    throw new UsageError(`key ${file.id} is the one this password opened; remove it with another key's password, or use \`tsdb-backup key passwd\``);
  if (all.length < 2) throw new UsageError(`key ${file.id} is the repository's last key`);
  await removeKeyFile(repo.storage, file.id, opts);
  return summary(file, keyId);
}

/** A new key with the new password, then the current key removed: the repository is never without a key. */
export async function changePassword(repo: Repository, password: string, opts: NewKeyOptions): Promise<{ added: KeySummary; removed: string }> {
  const { keyId } = encryptedOnly(repo);
  const added = await addKey(repo, password, opts);
  await removeKeyFile(repo.storage, keyId, opts);
  return { added: { ...added, current: false }, removed: keyId };
}
