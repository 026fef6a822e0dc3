// The bytes of an encrypted object (docs/FORMAT.md, section 6.2):
//   magic "tbe" 0x01 (4 bytes) | cipher id (1 byte) | nonce (12 bytes) | ciphertext | tag (16 bytes)
// The associated data is the 17 header bytes followed by the object's key in UTF-8, so an object
// moved to another name (a manifest swapped with another backup's) fails authentication like a changed byte.

import { CIPHER_IDS, NONCE_BYTES, TAG_BYTES, newNonce, open, seal, type CipherName } from './aead.js';

export const SEALED_MAGIC = Buffer.from([0x74, 0x62, 0x65, 0x01]);
const HEADER_BYTES = SEALED_MAGIC.length + 1 + NONCE_BYTES;
/** What encryption adds to every object. */
export const SEALED_OVERHEAD = HEADER_BYTES + TAG_BYTES;

function associatedData(header: Uint8Array, objectKey: string): Buffer {
  return Buffer.concat([header, Buffer.from(objectKey, 'utf8')]);
}

/** Whether the bytes begin like a sealed object (a plain manifest begins with '{', a chunk with zstd's magic). */
export function isSealed(stored: Uint8Array): boolean {
  return stored.length >= SEALED_OVERHEAD && Buffer.from(stored.buffer, stored.byteOffset, SEALED_MAGIC.length).equals(SEALED_MAGIC);
}

export function sealObject(cipher: CipherName, key: Uint8Array, objectKey: string, plaintext: Uint8Array): Buffer {
  const header = Buffer.concat([SEALED_MAGIC, Buffer.from([CIPHER_IDS[cipher]]), newNonce()]);
  return Buffer.concat([header, seal(cipher, key, header.subarray(SEALED_MAGIC.length + 1), plaintext, associatedData(header, objectKey))]);
}

export type Unsealed = { ok: true; plaintext: Buffer } | { ok: false; reason: string };

export function unsealObject(cipher: CipherName, key: Uint8Array, objectKey: string, stored: Uint8Array): Unsealed {
  if (stored.length < SEALED_OVERHEAD)
    return { ok: false, reason: `${stored.length} bytes, shorter than an encrypted object's ${SEALED_OVERHEAD}-byte envelope` };
  const bytes = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  if (!bytes.subarray(0, SEALED_MAGIC.length).equals(SEALED_MAGIC)) return { ok: false, reason: 'it does not begin like an encrypted object' };
  const cipherId = bytes[SEALED_MAGIC.length];
  if (cipherId !== CIPHER_IDS[cipher])
    return { ok: false, reason: `its cipher byte is ${cipherId}, the repository's cipher ${cipher} is ${CIPHER_IDS[cipher]}` };
  const header = bytes.subarray(0, HEADER_BYTES);
  const plaintext = open(cipher, key, header.subarray(SEALED_MAGIC.length + 1), bytes.subarray(HEADER_BYTES), associatedData(header, objectKey));
  return plaintext ? { ok: true, plaintext } : { ok: false, reason: 'its authentication tag does not match its bytes' };
}
