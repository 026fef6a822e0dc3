// Encrypted repositories at the library level: sealing, chunk names, passwords, the downgrade guard,
// init's refusals and key management.

import { describe, expect, it } from 'vitest';
import { SEALED_OVERHEAD, sealObject, unsealObject } from '../../src/crypto/sealed-object.js';
import { newMasterKey } from '../../src/crypto/master-key.js';
import { addKey, changePassword, listKeys, removeKey } from '../../src/repository/key-management.js';
import { Repository, type InitOptions } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { idAt, manifest } from '../support/manifests.js';

const FAST = { N: 1024, r: 8, p: 1 };
const NOW = new Date('2026-03-01T00:00:00Z');

function encrypted(password = 'pw', cipher: 'aes-256-gcm' | 'chacha20-poly1305' = 'aes-256-gcm'): InitOptions {
  return { now: NOW, encryption: { password, cipher, kdf: FAST } };
}

async function objects(storage: MemoryStorage): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for await (const o of storage.list('')) out.set(o.key, Buffer.from(await storage.get(o.key)));
  return out;
}

describe('sealed objects', () => {
  const master = newMasterKey('aes-256-gcm');
  const plaintext = Buffer.from('backups/x: the metric sys.cpu.user{host=web01}');

  it.each(['aes-256-gcm', 'chacha20-poly1305'] as const)('%s: opens what it sealed, 33 bytes longer, and nothing that changed', (cipher) => {
    const key = { ...newMasterKey(cipher) }.encryption;
    const sealed = sealObject(cipher, key, 'backups/a/manifest.json', plaintext);
    expect(sealed.length).toBe(plaintext.length + SEALED_OVERHEAD);
    expect(SEALED_OVERHEAD).toBe(33);
    expect(sealed.includes(Buffer.from('sys.cpu.user'))).toBe(false);
    const opened = unsealObject(cipher, key, 'backups/a/manifest.json', sealed);
    expect(opened.ok && opened.plaintext.equals(plaintext)).toBe(true);
    // Every byte matters: magic, cipher id, nonce, ciphertext and tag.
    for (let i = 0; i < sealed.length; i++) {
      const changed = Buffer.from(sealed);
      changed[i] = changed[i]! ^ 0x80;
      expect(unsealObject(cipher, key, 'backups/a/manifest.json', changed).ok, `byte ${i}`).toBe(false);
    }
    expect(unsealObject(cipher, key, 'backups/b/manifest.json', sealed)).toMatchObject({ ok: false, reason: expect.stringContaining('authentication tag') });
    expect(unsealObject(cipher, newMasterKey(cipher).encryption, 'backups/a/manifest.json', sealed).ok).toBe(false);
    expect(unsealObject(cipher, key, 'backups/a/manifest.json', sealed.subarray(0, 20))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('shorter'),
    });
  });

  it('refuses an object sealed with the other cipher, naming both', () => {
    const sealed = sealObject('chacha20-poly1305', master.encryption, 'k', plaintext);
    expect(unsealObject('aes-256-gcm', master.encryption, 'k', sealed)).toMatchObject({ ok: false, reason: expect.stringContaining('cipher byte is 2') });
  });
});

describe('an encrypted repository', () => {
  it('names identical chunks alike (stored once, reused), under a key no other repository shares, and stores no plaintext', async () => {
    const storage = new MemoryStorage();
    const repo = await Repository.init(storage, encrypted());
    const chunk = Buffer.from('zstd frame holding sys.cpu.user and host=web01');
    const a = await repo.putChunk(chunk);
    const b = await repo.putChunk(chunk);
    expect(b).toEqual({ ...a, reused: true });
    expect(a.bytes).toBe(chunk.length + 33);
    expect(await repo.getChunk(a)).toEqual(chunk);
    const other = await Repository.init(new MemoryStorage(), encrypted());
    expect((await other.putChunk(chunk)).key).not.toBe(a.key);
    for (const [key, bytes] of await objects(storage)) expect(bytes.includes(Buffer.from('sys.cpu.user')), key).toBe(false);
  });

  it('asks for the password only when encrypted, and tells a missing password from a wrong one', async () => {
    const plain = new MemoryStorage();
    await Repository.init(plain, { now: NOW });
    let asked = 0;
    await Repository.open(plain, { password: async () => (asked++, 'x') });
    expect(asked).toBe(0);

    const storage = new MemoryStorage();
    await Repository.init(storage, encrypted('right'));
    await expect(Repository.open(storage)).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
    await expect(Repository.open(storage, { password: async () => 'wrong' })).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
      message: expect.stringContaining('none of the 1 key'),
    });
    expect((await Repository.open(storage, { password: async () => 'right' })).encrypted).toBe(true);
  });

  it('a downgrade that also removed the key files: refused when a password is expected, and its sealed manifests are damage, not unreadable leftovers', async () => {
    const storage = new MemoryStorage();
    const repo = await Repository.init(storage, encrypted());
    await repo.writeManifest(manifest({ id: idAt('2026-03-01T00:00:00Z'), finished: '2026-03-01T00:01:00Z' }));
    const config = JSON.parse(Buffer.from(await storage.get('config.json')).toString('utf8'));
    await storage.put('config.json', Buffer.from(JSON.stringify({ format: config.format, version: 1, id: config.id, createdAt: config.createdAt })));
    for await (const o of storage.list('keys/')) await storage.delete(o.key);
    const expecting = Object.assign(async () => 'pw', { expectsEncryption: true });
    await expect(Repository.open(storage, { password: expecting })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('is not encrypted, but a repository password was given'),
    });
    const plain = await Repository.open(storage);
    await expect(plain.manifests()).rejects.toMatchObject({
      code: 'REPOSITORY_DAMAGED',
      message: expect.stringContaining('is encrypted, but config.json says the repository is not'),
    });
  });

  it('a password typed in NFD opens a repository made with the same password in NFC (and the other way round)', async () => {
    const storage = new MemoryStorage();
    await Repository.init(storage, encrypted('caf\u00e9 \u00fcber'));
    expect((await Repository.open(storage, { password: async () => 'cafe\u0301 u\u0308ber' })).encrypted).toBe(true);
  });

  it('refuses a password of only white space', async () => {
    await expect(Repository.init(new MemoryStorage(), encrypted(' \t '))).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('white space'),
    });
    const repo = await Repository.init(new MemoryStorage(), encrypted());
    await expect(addKey(repo, '  ', { now: NOW, kdf: FAST })).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('white space') });
  });

  it('refuses a plain config.json beside key files (a downgrade), and a config whose cipher the key does not hold', async () => {
    const storage = new MemoryStorage();
    await Repository.init(storage, encrypted());
    const config = JSON.parse(Buffer.from(await storage.get('config.json')).toString('utf8'));
    await storage.put('config.json', Buffer.from(JSON.stringify({ format: config.format, version: 1, id: config.id, createdAt: config.createdAt })));
    await expect(Repository.open(storage, { password: async () => 'pw' })).rejects.toMatchObject({
      code: 'REPOSITORY_DAMAGED',
      message: expect.stringContaining('holds key files'),
    });
    await storage.put('config.json', Buffer.from(JSON.stringify({ ...config, encryption: { ...config.encryption, cipher: 'chacha20-poly1305' } })));
    await expect(Repository.open(storage, { password: async () => 'pw' })).rejects.toMatchObject({
      code: 'REPOSITORY_DAMAGED',
      message: expect.stringContaining('names cipher chacha20-poly1305'),
    });
  });

  it("refuses another repository's key file, even with its password", async () => {
    const a = new MemoryStorage();
    const b = new MemoryStorage();
    await Repository.init(a, encrypted('same'));
    await Repository.init(b, encrypted('other'));
    for await (const o of b.list('keys/')) await b.delete(o.key);
    for await (const o of a.list('keys/')) await b.put(o.key, await a.get(o.key));
    await expect(Repository.open(b, { password: async () => 'same' })).rejects.toMatchObject({
      code: 'REPOSITORY_DAMAGED',
      message: expect.stringContaining('belongs to repository'),
    });
  });

  it("a stray key file of another repository, older and with the same password, does not hide this repository's key", async () => {
    const a = new MemoryStorage();
    const b = new MemoryStorage();
    await Repository.init(a, { ...encrypted('same'), now: new Date('2026-01-01T00:00:00Z') });
    await Repository.init(b, encrypted('same'));
    for await (const o of a.list('keys/')) await b.put(o.key, await a.get(o.key));
    expect((await Repository.open(b, { password: async () => 'same' })).encrypted).toBe(true);
  });

  it('a chunk or manifest moved to another name fails authentication', async () => {
    const storage = new MemoryStorage();
    const repo = await Repository.init(storage, encrypted());
    const a = await repo.putChunk(Buffer.from('chunk a'));
    const b = await repo.putChunk(Buffer.from('chunk b'));
    await storage.put(b.key, await storage.get(a.key));
    await expect(repo.getChunk({ ...b, bytes: a.bytes })).rejects.toMatchObject({ code: 'TAMPERED', message: expect.stringContaining(b.key) });
  });

  it('init refuses a location that holds a repository, or the keys, chunks or manifests of one without its config.json', async () => {
    const storage = new MemoryStorage();
    await Repository.init(storage, encrypted());
    await expect(Repository.init(storage, encrypted())).rejects.toMatchObject({ code: 'REPOSITORY_EXISTS' });
    await storage.delete('config.json');
    await expect(Repository.init(storage, encrypted())).rejects.toMatchObject({ code: 'REPOSITORY_DAMAGED', message: expect.stringContaining('holds keys/') });
    const keys = [...(await objects(storage)).keys()];
    expect(keys.every((k) => k.startsWith('keys/'))).toBe(true);
    expect(keys).toHaveLength(1);
  });
});

describe('keys', () => {
  it('add, list, refuse to remove the current or the last key, remove by prefix, change a password', async () => {
    const storage = new MemoryStorage();
    const repo = await Repository.init(storage, encrypted('one'));
    expect((await listKeys(repo)).keys).toEqual([expect.objectContaining({ id: repo.keyId, current: true, kdf: 'scrypt N=1024 r=8 p=1' })]);
    await expect(removeKey(repo, repo.keyId!)).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('is the one this password opened') });
    const two = await addKey(repo, 'two', { now: NOW, kdf: FAST });
    expect((await listKeys(repo)).keys.map((k) => k.id).sort()).toEqual([repo.keyId, two.id].sort());
    await expect(removeKey(repo, 'ffff')).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining("no key 'ffff'") });

    const byTwo = await Repository.open(storage, { password: async () => 'two' });
    expect(byTwo.keyId).toBe(two.id);
    expect(await removeKey(byTwo, repo.keyId!.slice(0, 5))).toMatchObject({ id: repo.keyId });
    await expect(Repository.open(storage, { password: async () => 'one' })).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    await expect(removeKey(byTwo, two.id)).rejects.toMatchObject({ code: 'USAGE' });

    const changed = await changePassword(byTwo, 'three', { now: NOW, kdf: FAST });
    expect(changed.removed).toBe(two.id);
    await expect(Repository.open(storage, { password: async () => 'two' })).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    const byThree = await Repository.open(storage, { password: async () => 'three' });
    expect((await listKeys(byThree)).keys).toEqual([expect.objectContaining({ id: changed.added.id, current: true })]);
  });

  it('key commands refuse a plain repository', async () => {
    const repo = await Repository.init(new MemoryStorage(), { now: NOW });
    await expect(listKeys(repo)).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('not encrypted') });
  });
});
