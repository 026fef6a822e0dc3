// Turns a password into a key-wrapping key with scrypt (RFC 7914), a memory-hard function: each guess
// costs an attacker 128 * N * r bytes of memory. The parameters are recorded in every key file, so a
// stronger default later never locks out an older key.

import { randomBytes, scrypt } from 'node:crypto';
import * as v from '../validation/schema.js';
import { KEY_BYTES } from './aead.js';

export const kdfSchema = v
  .object({
    name: v.literal('scrypt'),
    N: v
      .number()
      .int()
      .min(2)
      .max(2 ** 21)
      .refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
    r: v.number().int().min(1).max(16),
    p: v.number().int().min(1).max(8),
    /** base64 of the random salt (32 bytes when tsdb-backup writes it). */
    salt: v.string().min(1),
  })
  .refine((k) => 128 * k.N * k.r <= 2 ** 28, 'scrypt parameters needing more than 256 MiB are refused');

export type KdfParams = v.Infer<typeof kdfSchema>;
export type KdfCost = Pick<KdfParams, 'N' | 'r' | 'p'>;

/**
 * One of OWASP's equivalent recommendations for scrypt (N=2^17, r=8, p=1 is another): 32 MiB per
 * guess (128 x N x r bytes), three times over, about 0.5 s here. It keeps the memory a backup process
 * needs to open the repository small next to what it holds while it works.
 */
export const DEFAULT_KDF_COST: KdfCost = { N: 2 ** 15, r: 8, p: 3 };

export function newKdfParams(cost: KdfCost = DEFAULT_KDF_COST): KdfParams {
  return { name: 'scrypt', ...cost, salt: randomBytes(32).toString('base64') };
}

export function deriveKey(password: string, params: KdfParams): Promise<Buffer> {
  const maxmem = 128 * params.N * params.r + 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), Buffer.from(params.salt, 'base64'), KEY_BYTES, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}
