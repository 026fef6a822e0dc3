// How the repository turns a chunk or manifest into the bytes it stores, and names chunks: plainly
// (SHA-256 names, bytes as they are) or encrypted (keyed names, sealed bytes).

import { createHash } from 'node:crypto';
import type { MasterKey } from '../crypto/master-key.js';
import { chunkMac } from '../crypto/master-key.js';
import { sealObject, unsealObject, type Unsealed } from '../crypto/sealed-object.js';

export interface ObjectCodec {
  readonly encrypted: boolean;
  /** The chunk's name: SHA-256 of its bytes, or HMAC-SHA-256 of its plaintext under the master key. */
  chunkId(plaintext: Uint8Array): string;
  seal(objectKey: string, plaintext: Uint8Array): Uint8Array;
  unseal(objectKey: string, stored: Uint8Array): Unsealed;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export const PLAIN_CODEC: ObjectCodec = {
  encrypted: false,
  chunkId: sha256Hex,
  seal: (_key, plaintext) => plaintext,
  unseal: (_key, stored) => ({ ok: true, plaintext: Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength) }),
};

export function encryptedCodec(master: MasterKey): ObjectCodec {
  return {
    encrypted: true,
    chunkId: (plaintext) => chunkMac(master, plaintext),
    seal: (key, plaintext) => sealObject(master.cipher, master.encryption, key, plaintext),
    unseal: (key, stored) => unsealObject(master.cipher, master.encryption, key, stored),
  };
}
