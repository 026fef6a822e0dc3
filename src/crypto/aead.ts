// The two authenticated ciphers a repository may use, both from node:crypto with 256-bit keys, 96-bit
// nonces and 128-bit tags. Nonces are random: a key seals far fewer than the 2^32 messages after which
// random 96-bit nonces risk repeating.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const CIPHERS = ['aes-256-gcm', 'chacha20-poly1305'] as const;
export type CipherName = (typeof CIPHERS)[number];

/** The byte that names the cipher in a sealed object's header (docs/FORMAT.md). */
export const CIPHER_IDS: Record<CipherName, number> = { 'aes-256-gcm': 1, 'chacha20-poly1305': 2 };

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

export function isCipherName(s: string): s is CipherName {
  return (CIPHERS as readonly string[]).includes(s);
}

export function newNonce(): Buffer {
  return randomBytes(NONCE_BYTES);
}

/** Encrypts `plaintext`; the result is the ciphertext followed by the tag. */
export function seal(cipher: CipherName, key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const c = createCipheriv(cipher as 'aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  c.setAAD(aad, { plaintextLength: plaintext.length });
  const body = c.update(plaintext);
  const final = c.final();
  return Buffer.concat([body, final, c.getAuthTag()]);
}

/** Decrypts what `seal` made; undefined when the tag does not authenticate it (wrong key, changed bytes). */
export function open(cipher: CipherName, key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer | undefined {
  if (sealed.length < TAG_BYTES) return undefined;
  const ciphertext = sealed.subarray(0, sealed.length - TAG_BYTES);
  const d = createDecipheriv(cipher as 'aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  d.setAAD(aad, { plaintextLength: ciphertext.length });
  const body = d.update(ciphertext);
  try {
    return Buffer.concat([body, d.final()]);
  } catch {
    return undefined;
  }
}
