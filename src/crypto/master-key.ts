// A repository's master key: one key that encrypts every object and one that names chunks. Both are
// random; passwords only wrap them (key-file.ts), so changing a password rewrites no data.

import { createHmac, randomBytes } from 'node:crypto';
import { KEY_BYTES, type CipherName } from './aead.js';

export interface MasterKey {
  cipher: CipherName;
  /** Encrypts and authenticates every object (sealed-object.ts). */
  encryption: Buffer;
  /** Names chunks: HMAC-SHA-256 of the plaintext, which reveals nothing of it without this key. */
  mac: Buffer;
}

export function newMasterKey(cipher: CipherName): MasterKey {
  return { cipher, encryption: randomBytes(KEY_BYTES), mac: randomBytes(KEY_BYTES) };
}

export function chunkMac(key: MasterKey, plaintext: Uint8Array): string {
  return createHmac('sha256', key.mac).update(plaintext).digest('hex');
}
