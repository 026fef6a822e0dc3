// A key file: the master key wrapped by a key derived from one password (like restic's key files).
// A repository has one key file per password; any of them opens it.

import { randomBytes } from 'node:crypto';
import * as v from '../validation/schema.js';
import { CIPHERS, KEY_BYTES, newNonce, open, seal, type CipherName } from './aead.js';
import { deriveKey, kdfSchema, newKdfParams, type KdfCost } from './kdf.js';
import type { MasterKey } from './master-key.js';

export const KEY_FILE_FORMAT = 'tsdb-backup-key';
export const KEY_ID = /^[0-9a-f]{16}$/;

export const keyFileSchema = v.object({
  format: v.literal(KEY_FILE_FORMAT),
  version: v.literal(1),
  id: v.string().regex(KEY_ID),
  createdAt: v.string().datetime(),
  /** Who made the key, for `key list`: the host and user name. */
  host: v.string(),
  user: v.string(),
  kdf: kdfSchema,
  cipher: v.enumOf(CIPHERS),
  /** base64: the nonce, and the wrapped master key (ciphertext and tag). */
  nonce: v.string(),
  masterKey: v.string(),
});

export type KeyFile = v.Infer<typeof keyFileSchema>;

const wrappedSchema = v.object({
  repository: v.string(),
  cipher: v.enumOf(CIPHERS),
  encryption: v.string(),
  mac: v.string(),
});

export function keyFileKey(id: string): string {
  return `keys/${id}.json`;
}

export function newKeyId(): string {
  return randomBytes(8).toString('hex');
}

export interface KeyFileOrigin {
  repositoryId: string;
  now: Date;
  host: string;
  user: string;
  cost?: KdfCost;
}

export async function wrapMasterKey(master: MasterKey, password: string, origin: KeyFileOrigin): Promise<KeyFile> {
  const id = newKeyId();
  const kdf = newKdfParams(origin.cost);
  const nonce = newNonce();
  const inner = {
    repository: origin.repositoryId,
    cipher: master.cipher,
    encryption: master.encryption.toString('base64'),
    mac: master.mac.toString('base64'),
  };
  const wrapped = seal(master.cipher, await deriveKey(password, kdf), nonce, Buffer.from(JSON.stringify(inner)), Buffer.from(keyFileKey(id)));
  return {
    format: KEY_FILE_FORMAT,
    version: 1,
    id,
    createdAt: origin.now.toISOString(),
    host: origin.host,
    user: origin.user,
    kdf,
    cipher: master.cipher,
    nonce: nonce.toString('base64'),
    masterKey: wrapped.toString('base64'),
  };
}

export type Unwrapped = { ok: true; master: MasterKey } | { ok: false; reason: 'password' } | { ok: false; reason: 'invalid'; detail: string };

/** Opens a key file with a password; `reason: 'password'` when the password is not this key's. */
export async function unwrapMasterKey(file: KeyFile, password: string, repositoryId: string): Promise<Unwrapped> {
  const plain = open(
    file.cipher,
    await deriveKey(password, file.kdf),
    Buffer.from(file.nonce, 'base64'),
    Buffer.from(file.masterKey, 'base64'),
    Buffer.from(keyFileKey(file.id)),
  );
  if (!plain) return { ok: false, reason: 'password' };
  let inner: v.Infer<typeof wrappedSchema>;
  try {
    inner = wrappedSchema.parse(JSON.parse(plain.toString('utf8')));
  } catch (err) {
    return { ok: false, reason: 'invalid', detail: `its master key is not a valid record (${(err as Error).message.slice(0, 200)})` };
  }
  if (inner.repository !== repositoryId) return { ok: false, reason: 'invalid', detail: `it belongs to repository ${inner.repository}, not ${repositoryId}` };
  const encryption = Buffer.from(inner.encryption, 'base64');
  const mac = Buffer.from(inner.mac, 'base64');
  if (encryption.length !== KEY_BYTES || mac.length !== KEY_BYTES) return { ok: false, reason: 'invalid', detail: 'its master key has the wrong length' };
  return { ok: true, master: { cipher: inner.cipher as CipherName, encryption, mac } };
}
