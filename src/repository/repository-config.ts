// config.json: marks a location as a repository and says whether it is encrypted. Version 1 is a
// plain repository (every tsdb-backup reads it); version 2 an encrypted one, which a version-1 reader
// refuses rather than writing plain chunks into it.

import { randomUUID } from 'node:crypto';
import * as v from '../validation/schema.js';
import { NotFoundError } from '../errors.js';
import { CIPHERS, type CipherName } from '../crypto/aead.js';
import { describeSchemaError } from '../format/manifest.js';
import type { OpOptions, Storage } from '../storage/storage.js';
import { RepositoryDamagedError, RepositoryNotFoundError } from './errors.js';

export const CONFIG_KEY = 'config.json';
const REPOSITORY_FORMAT = 'tsdb-backup-repository';

const plainConfigSchema = v.object({ format: v.literal(REPOSITORY_FORMAT), version: v.literal(1), id: v.string(), createdAt: v.string() });
const encryptedConfigSchema = v.object({
  format: v.literal(REPOSITORY_FORMAT),
  version: v.literal(2),
  id: v.string(),
  createdAt: v.string(),
  encryption: v.object({ cipher: v.enumOf(CIPHERS), chunkNames: v.literal('hmac-sha256'), kdf: v.literal('scrypt') }),
});
const configSchema = v.discriminatedUnion('version', [plainConfigSchema, encryptedConfigSchema]);

export type RepositoryConfig = v.Infer<typeof configSchema>;
export type EncryptedConfig = v.Infer<typeof encryptedConfigSchema>;

export function newConfig(now: Date, cipher: CipherName | undefined): RepositoryConfig {
  const id = randomUUID();
  const createdAt = now.toISOString();
  if (!cipher) return { format: REPOSITORY_FORMAT, version: 1, id, createdAt };
  return { format: REPOSITORY_FORMAT, version: 2, id, createdAt, encryption: { cipher, chunkNames: 'hmac-sha256', kdf: 'scrypt' } };
}

export function encodeConfig(config: RepositoryConfig): Buffer {
  return Buffer.from(`${JSON.stringify(config, null, 2)}\n`);
}

export async function readConfig(storage: Storage, opts?: OpOptions): Promise<RepositoryConfig> {
  let raw: Uint8Array;
  try {
    raw = await storage.get(CONFIG_KEY, opts);
  } catch (err) {
    if (err instanceof NotFoundError) throw new RepositoryNotFoundError(storage.toString(), { cause: err });
    throw err;
  }
  // A config.json that is there but unreadable is damage (exit 4), not an empty location (exit 10);
  // only one that is plainly another tool's file means there is no repository here.
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (err) {
    throw new RepositoryDamagedError(storage.toString(), `its ${CONFIG_KEY} is not JSON (${(err as Error).message})`);
  }
  const format = (parsed as { format?: unknown } | null)?.format;
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && format !== undefined && format !== REPOSITORY_FORMAT) {
    throw new RepositoryNotFoundError(`${storage} (its ${CONFIG_KEY} is not a tsdb-backup repository's: format '${String(format)}')`);
  }
  const r = configSchema.safeParse(parsed);
  if (!r.success) throw new RepositoryDamagedError(storage.toString(), `${CONFIG_KEY}: ${describeSchemaError(r.error)}`);
  return r.data;
}
