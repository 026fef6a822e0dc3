// Turns a password into a key-wrapping key with scrypt (RFC 7914), a memory-hard function: each guess
// costs an attacker 128 * N * r bytes of memory. The parameters are recorded in every key file, so a
// stronger default later never locks out an older key.

import { randomBytes, scrypt } from 'node:crypto';
import { z } from 'zod';
import { KEY_BYTES } from './aead.js';

export const kdfSchema = z.object({
  name: z.literal('scrypt'),
  N: z.number().int().min(2).max(2 ** 22).refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  /** base64 of the random salt (32 bytes when tsdb-backup writes it). */
  salt: z.string().min(1),
});

export type KdfParams = z.infer<typeof kdfSchema>;
export type KdfCost = Pick<KdfParams, 'N' | 'r' | 'p'>;

/** 2^17 x 8 x 128 bytes = 128 MiB per guess, about 0.3 s here; OWASP's recommendation for scrypt. */
export const DEFAULT_KDF_COST: KdfCost = { N: 2 ** 17, r: 8, p: 1 };

export function newKdfParams(cost: KdfCost = DEFAULT_KDF_COST): KdfParams {
  return { name: 'scrypt', ...cost, salt: randomBytes(32).toString('base64') };
}

export function deriveKey(password: string, params: KdfParams): Promise<Buffer> {
  const maxmem = 128 * params.N * params.r * params.p + 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), Buffer.from(params.salt, 'base64'), KEY_BYTES, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
