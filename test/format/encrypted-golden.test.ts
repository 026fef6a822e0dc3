// The golden encrypted repositories (one per cipher) stay readable, by tsdb-backup and by an
// independent reader that follows docs/FORMAT.md section 6 with node:crypto alone.

import { createDecipheriv, createHmac, scryptSync } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeChunk } from '../../src/format/chunk-codec.js';
import { Repository } from '../../src/repository/repository.js';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { GOLDEN_BACKUP_ID, GOLDEN_CHUNK, GOLDEN_CIPHERS, GOLDEN_DIR, GOLDEN_PASSWORD } from '../support/golden-encrypted.js';

function decrypt(cipher: string, key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  const d = createDecipheriv(cipher as 'aes-256-gcm', key, nonce, { authTagLength: 16 });
  d.setAAD(aad, { plaintextLength: sealed.length - 16 });
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
}

describe.each(GOLDEN_CIPHERS)('the golden encrypted repository (%s)', (cipher) => {
  const dir = path.join(GOLDEN_DIR, cipher);

  it('tsdb-backup opens it with the password and reads the backup exactly', async () => {
    const repo = await Repository.open(new LocalStorage(dir), { password: async () => GOLDEN_PASSWORD });
    expect(repo.encrypted).toBe(true);
    const m = await repo.readManifest(GOLDEN_BACKUP_ID);
    expect(m.totals.points).toBe(3);
    expect(decodeChunk(await repo.getChunk(m.chunks[0]!))).toEqual(GOLDEN_CHUNK);
  });

  it('an independent reader following docs/FORMAT.md section 6 decrypts the key, the manifest and the chunk', async () => {
    const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ version: 2, encryption: { cipher, chunkNames: 'hmac-sha256', kdf: 'scrypt' } });
    const [keyName] = await readdir(path.join(dir, 'keys'));
    const keyFile = JSON.parse(await readFile(path.join(dir, 'keys', keyName!), 'utf8'));
    // 6.1: scrypt over the NFC-normalized password, then the wrapped master key with its key as associated data.
    const { N, r, p, salt } = keyFile.kdf;
    const wrapping = scryptSync(Buffer.from(GOLDEN_PASSWORD.normalize('NFC'), 'utf8'), Buffer.from(salt, 'base64'), 32, { N, r, p });
    const inner = JSON.parse(
      decrypt(
        keyFile.cipher,
        wrapping,
        Buffer.from(keyFile.nonce, 'base64'),
        Buffer.from(keyFile.masterKey, 'base64'),
        Buffer.from(`keys/${keyFile.id}.json`),
      ).toString('utf8'),
    );
    expect(inner.repository).toBe(config.id);
    const encryption = Buffer.from(inner.encryption, 'base64');
    const mac = Buffer.from(inner.mac, 'base64');
    // 6.2: magic, cipher byte, nonce; the associated data is the header and the object's key.
    const open = async (key: string): Promise<Buffer> => {
      const sealed = await readFile(path.join(dir, key));
      expect([...sealed.subarray(0, 4)]).toEqual([0x74, 0x62, 0x65, 0x01]);
      expect(sealed[4]).toBe(cipher === 'aes-256-gcm' ? 1 : 2);
      return decrypt(cipher, encryption, sealed.subarray(5, 17), sealed.subarray(17), Buffer.concat([sealed.subarray(0, 17), Buffer.from(key)]));
    };
    const manifestKey = `backups/${GOLDEN_BACKUP_ID}/manifest.json`;
    const manifest = JSON.parse((await open(manifestKey)).toString('utf8'));
    const entry = manifest.chunks[0];
    const plaintext = await open(entry.key);
    expect((await readFile(path.join(dir, entry.key))).length).toBe(entry.bytes);
    expect(entry.bytes).toBe(plaintext.length + 33);
    expect(createHmac('sha256', mac).update(plaintext).digest('hex')).toBe(entry.sha256);
    expect(entry.key).toBe(`data/${entry.sha256.slice(0, 2)}/${entry.sha256}`);
    expect(decodeChunk(plaintext)).toEqual(GOLDEN_CHUNK);
  });

  it('a wrong password opens nothing', async () => {
    await expect(Repository.open(new LocalStorage(dir), { password: async () => GOLDEN_PASSWORD.toUpperCase() })).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
    });
  });
});
