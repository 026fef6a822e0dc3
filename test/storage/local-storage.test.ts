import { mkdir, mkdtemp, readdir, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { RetryingStorage } from '../../src/storage/retrying-storage.js';
import { abortRightAfterStart, storageSuite } from './storage-suite.js';

storageSuite('LocalStorage', {
  create: async () => new LocalStorage(await mkdtemp(path.join(tmpdir(), 'tsdb-backup-local-'))),
  cleanup: async (s) => rm((s as LocalStorage).root, { recursive: true, force: true }),
  interruptPut: abortRightAfterStart,
  stagesUntilFlush: true,
});

describe('LocalStorage specifics', () => {
  it('a staged put is only a temporary file until the flush renames it, and none is left after', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-local-'));
    const s = new LocalStorage(root);
    await s.put('a/b', new Uint8Array([1, 2, 3]), { staged: true });
    await s.put('a/c', new Uint8Array([4]), { staged: true });
    await s.put('a/b', new Uint8Array([5, 6]), { staged: true });
    const before = await readdir(path.join(root, 'a'));
    expect(before).toHaveLength(3);
    expect(before.every((n) => n.includes('.tmp-'))).toBe(true);
    await s.flush();
    expect((await readdir(path.join(root, 'a'))).sort()).toEqual(['b', 'c']);
    expect([...(await s.get('a/b'))]).toEqual([5, 6]);
    await rm(root, { recursive: true });
  });

  it('a directory removed after a put into it is created again by the next put, staged or not', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-local-'));
    const s = new LocalStorage(root);
    await s.put('d/a', new Uint8Array([1]));
    await rm(path.join(root, 'd'), { recursive: true });
    await s.put('d/b', new Uint8Array([2]));
    await rm(path.join(root, 'd'), { recursive: true });
    await s.put('d/c', new Uint8Array([3]), { staged: true });
    await s.flush();
    expect(await readdir(path.join(root, 'd'))).toEqual(['c']);
    await rm(root, { recursive: true });
  });

  it('many staged puts (more than are kept open) are all committed by one flush', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-local-'));
    const s = new LocalStorage(root);
    for (let i = 0; i < 300; i++) await s.put(`m/${String(i).padStart(3, '0')}`, new Uint8Array([i % 256]), { staged: true });
    expect(await s.stat('m/000')).toBeUndefined();
    await s.flush();
    const names = await readdir(path.join(root, 'm'));
    expect(names).toHaveLength(300);
    expect(names.some((n) => n.includes('.tmp-'))).toBe(false);
    expect([...(await s.get('m/299'))]).toEqual([299 % 256]);
    await rm(root, { recursive: true });
  });

  it('a flush that fails keeps what it did not commit staged, and the next flush commits it', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-local-'));
    const s = new LocalStorage(root);
    await s.put('x/blocked', new Uint8Array([1]), { staged: true });
    await s.put('x/free', new Uint8Array([2]), { staged: true });
    // a non-empty directory where the object goes: its rename fails
    await mkdir(path.join(root, 'x', 'blocked', 'inside'), { recursive: true });
    const err = await s.flush().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as Error).message).toContain('x/blocked');
    await rm(path.join(root, 'x', 'blocked'), { recursive: true });
    await s.flush();
    expect([...(await s.get('x/blocked'))]).toEqual([1]);
    expect([...(await s.get('x/free'))]).toEqual([2]);
    expect((await readdir(path.join(root, 'x'))).sort()).toEqual(['blocked', 'free']);
    await rm(root, { recursive: true });
  });

  it('leaves no temporary files after writes', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-local-'));
    const s = new LocalStorage(root);
    await s.put('a/b', new Uint8Array([1, 2, 3]));
    expect(await readdir(path.join(root, 'a'))).toEqual(['b']);
    await rm(root, { recursive: true });
  });

  it('a permission problem is a permanent StorageError that names the key and the path', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permissions; a file where a directory should be gives the same class of error
      const root = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-local-'));
      const s = new LocalStorage(root);
      await s.put('blocker', new Uint8Array([1]));
      const err = await s.put('blocker/child', new Uint8Array([1])).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).retryable).toBe(false);
      expect((err as Error).message).toContain('blocker/child');
      expect((err as Error).message).toContain(root);
      await rm(root, { recursive: true });
      return;
    }
    const root = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-local-'));
    await chmod(root, 0o500);
    const err = await new LocalStorage(root).put('x/y', new Uint8Array([1])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).hint).toMatch(/permissions/);
    await chmod(root, 0o700);
    await rm(root, { recursive: true });
  });
});

storageSuite('RetryingStorage over LocalStorage', {
  create: async () => new RetryingStorage(new LocalStorage(await mkdtemp(path.join(tmpdir(), 'tsdb-backup-local-')))),
  cleanup: async (s) => rm(s.toString(), { recursive: true, force: true }),
  interruptPut: abortRightAfterStart,
  stagesUntilFlush: true,
});
