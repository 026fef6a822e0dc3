// An encrypted repository through the whole life of a chain, on any storage: init, full, incremental,
// list, verify, restore (compared point for point with the source), wrong and missing passwords, key
// rotation, prune, and a flipped byte in a chunk and in a manifest. Also: no metric name, tag value or
// source URL of the data appears anywhere in the repository's bytes, while a plain repository of the
// same data shows them (so the scan can fail).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { Storage } from '../../src/storage/storage.js';
import { differences, pointCount, snapshot } from '../support/compare-clusters.js';
import type { SeedPoint } from '../support/dataset.js';
import { initRepo } from '../support/init-repo.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';
import { linesOf, summaryOf } from '../support/json-output.js';

export interface RepositoryLocation {
  /** --repo, and the options it needs (S3 endpoint...). */
  repo: string;
  args: string[];
  /** The same location, for reading and changing its objects behind the tool's back. */
  storage: Storage;
}

export interface EncryptedSetup {
  sourceUrl: string;
  targetUrl: string;
  prefix: string;
  now: number;
  /** A new, empty location each time it is called. */
  location: (name: string) => Promise<RepositoryLocation>;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

function points(prefix: string, from: number, to: number): SeedPoint[] {
  const out: SeedPoint[] = [];
  for (let t = from; t < to; t += 60_000) {
    for (const host of [`${prefix}-web-01`, `${prefix}-db-02`]) {
      out.push({ metric: `${prefix}.cpu.user`, tags: { host, dc: `${prefix}-eu-west` }, timestamp: t, value: (((t / 60_000) % 97) / 7).toFixed(4) });
      out.push({
        metric: `${prefix}.net.bytes`,
        tags: { host, dc: `${prefix}-eu-west` },
        timestamp: t + 11,
        value: String(9_007_199_254_740_000 + ((t / 60_000) % 1000)),
      });
    }
  }
  return out;
}

async function allBytes(storage: Storage): Promise<Array<{ key: string; bytes: Buffer }>> {
  const out: Array<{ key: string; bytes: Buffer }> = [];
  for await (const o of storage.list('')) out.push({ key: o.key, bytes: Buffer.from(await storage.get(o.key)) });
  return out;
}

/** The secrets of the data that show up in the repository's bytes. */
async function leaks(storage: Storage, secrets: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const o of await allBytes(storage)) {
    for (const s of secrets) if (o.bytes.includes(Buffer.from(s))) found.push(`${s} in ${o.key}`);
  }
  return found;
}

async function flipByte(storage: Storage, key: string, at: number): Promise<() => Promise<void>> {
  const original = Buffer.from(await storage.get(key));
  const changed = Buffer.from(original);
  const i = at % changed.length;
  changed[i] = changed[i]! ^ 0x01;
  await storage.put(key, changed);
  return () => storage.put(key, original);
}

export function encryptedRepositoryScenario(name: string, setup: () => Promise<EncryptedSetup>): void {
  it(`an encrypted repository: chain, verify, restore, passwords, key rotation, prune, tampering (${name})`, async () => {
    const c = await setup();
    const loc = await c.location('encrypted');
    const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-enc-secrets-'));
    const env = { TSDB_BACKUP_PASSWORD: 'correct horse battery staple' };
    const at = (t: number) => ({ now: () => new Date(t), env });
    const run = (args: string[], opts: { now?: () => Date; env?: Record<string, string> } = { env }) => cli([...args, '--repo', loc.repo, ...loc.args], opts);
    const metrics = [`${c.prefix}.cpu.user`, `${c.prefix}.net.bytes`];
    const t0 = c.now - 6 * HOUR;
    try {
      expect((await run(['init', '--json'])).code).toBe(0);
      const again = await run(['init']);
      expect(again.code, again.stderr).toBe(1);
      expect(again.stderr).toContain('already exists');

      await putPoints(c.sourceUrl, points(c.prefix, t0, c.now - 3 * HOUR));
      const full = await run(
        ['full', '--source', c.sourceUrl, '--metric', `${c.prefix}.*`, '--start', String(t0), '--end', String(c.now - 3 * HOUR), '--json'],
        at(c.now - 3 * HOUR + MIN),
      );
      expect(full.code, full.stderr).toBe(0);
      await putPoints(c.sourceUrl, points(c.prefix, c.now - 3 * HOUR, c.now - 10 * MIN));
      const incr = await run(['incremental', '--source', c.sourceUrl, '--json'], at(c.now));
      expect(incr.code, incr.stderr).toBe(0);
      const list = await run(['list', '--json']);
      expect(list.code, list.stderr).toBe(0);
      expect(linesOf(list, 'backup')).toHaveLength(2);
      const verified = await run(['verify', '--all', '--json']);
      expect(verified.code, verified.stderr).toBe(0);
      expect(summaryOf(verified)).toMatchObject({ command: 'verify', ok: true, backupIds: [expect.any(String), expect.any(String)] });

      // Nothing of the data is readable in the repository; in a plain one of the same data it is.
      const source = new URL(c.sourceUrl);
      const secrets = [...metrics, `${c.prefix}-web-01`, `${c.prefix}-db-02`, `${c.prefix}-eu-west`, source.host, c.sourceUrl];
      expect(await leaks(loc.storage, secrets)).toEqual([]);
      const plain = await c.location('plain');
      await initRepo(plain.repo, { args: plain.args });
      const plainFull = await cli([
        'full',
        '--source',
        c.sourceUrl,
        '--repo',
        plain.repo,
        ...plain.args,
        '--metric',
        `${c.prefix}.*`,
        '--start',
        String(t0),
        '--end',
        String(c.now),
        '--quiet',
      ]);
      expect(plainFull.code, plainFull.stderr).toBe(0);
      expect(await leaks(plain.storage, secrets)).toEqual(expect.arrayContaining([expect.stringContaining(metrics[0]!), expect.stringContaining(source.host)]));

      const expected = await snapshot(c.sourceUrl, metrics, t0, c.now);
      expect(pointCount(expected)).toBe(points(c.prefix, t0, c.now - 10 * MIN).length);
      const restored = await run(['restore', '--target', c.targetUrl, '--json']);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.json.find((j) => j.type === 'summary')).toMatchObject({ written: pointCount(expected) });
      expect(differences(expected, await snapshot(c.targetUrl, metrics, t0, c.now))).toEqual([]);

      // A wrong password and a missing one: their own exit codes, and no lock left behind.
      const wrong = await run(['list'], { env: { TSDB_BACKUP_PASSWORD: 'Correct horse battery staple' } });
      expect(wrong.code, wrong.stderr).toBe(14);
      expect(wrong.stderr).toContain('the password opens none of the 1 key');
      const missing = await run(['restore', '--target', c.targetUrl], { env: {} });
      expect(missing.code, missing.stderr).toBe(13);
      expect(missing.stderr).toContain('is encrypted and no password was given');
      expect(await allBytes(loc.storage).then((os) => os.filter((o) => o.key.startsWith('locks/')))).toEqual([]);

      // Key rotation: add a key for the new password, remove the old one with it, restore with the new.
      const newPasswordFile = path.join(dir, 'new-password');
      await writeFile(newPasswordFile, 'a new password for 2027\n', { mode: 0o600 });
      const added = await run(['key', 'add', '--new-password-file', newPasswordFile, '--json']);
      expect(added.code, added.stderr).toBe(0);
      const keys = await run(['key', 'list', '--json']);
      expect(keys.code, keys.stderr).toBe(0);
      const listed = linesOf<{ keyId: string; current: boolean }>(keys, 'key');
      expect(listed).toHaveLength(2);
      const oldKey = listed.find((k) => k.current)!.keyId;
      const withNew = ['--password-file', newPasswordFile];
      const refused = await run(['key', 'remove', oldKey]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain('is the one this password opened');
      const removed = await run(['key', 'remove', oldKey.slice(0, 6), ...withNew], { env: {} });
      expect(removed.code, removed.stderr).toBe(0);
      expect((await run(['list'])).code).toBe(14);
      const restoredWithNew = await run(['restore', '--target', c.targetUrl, ...withNew, '--json'], { env: {} });
      expect(restoredWithNew.code, restoredWithNew.stderr).toBe(0);
      expect(restoredWithNew.json.find((j) => j.type === 'summary')).toMatchObject({ written: pointCount(expected) });
      expect(differences(expected, await snapshot(c.targetUrl, metrics, t0, c.now))).toEqual([]);

      // A second chain, then prune keeps only it; what is left verifies.
      const newEnv = { TSDB_BACKUP_PASSWORD: 'a new password for 2027' };
      const full2 = await run(['full', '--source', c.sourceUrl, '--metric', `${c.prefix}.*`, '--start', String(t0), '--end', String(c.now), '--json'], {
        now: () => new Date(c.now + HOUR),
        env: newEnv,
      });
      expect(full2.code, full2.stderr).toBe(0);
      const pruned = await run(['prune', '--keep-last', '1', '--json'], { env: newEnv });
      expect(pruned.code, pruned.stderr).toBe(0);
      expect(summaryOf(pruned).removedBackupIds).toHaveLength(2);
      const left = await run(['verify', '--all', '--json'], { env: newEnv });
      expect(left.code, left.stderr).toBe(0);
      expect(summaryOf(left).backupIds).toEqual([summaryOf(full2).backupId]);

      // A flipped byte in a chunk, then in a manifest: verify and restore refuse with exit 15.
      const objects = await allBytes(loc.storage);
      const chunk = objects.find((o) => o.key.startsWith('data/'))!.key;
      const undoChunk = await flipByte(loc.storage, chunk, 100);
      const badChunk = await run(['verify', '--json'], { env: newEnv });
      expect(badChunk.code, badChunk.stdout).toBe(15);
      expect(linesOf(badChunk, 'problem')).toEqual([
        expect.objectContaining({ where: chunk, tampered: true, problem: expect.stringContaining('failed authentication') }),
      ]);
      expect(summaryOf(badChunk)).toMatchObject({ ok: false, problems: 1 });
      const restoreBadChunk = await run(['restore', '--target', c.targetUrl], { env: newEnv });
      expect(restoreBadChunk.code, restoreBadChunk.stderr).toBe(15);
      expect(restoreBadChunk.stderr).toContain(chunk);
      await undoChunk();
      const manifestKey = objects.find((o) => o.key.startsWith('backups/'))!.key;
      const undoManifest = await flipByte(loc.storage, manifestKey, 40);
      const badManifest = await run(['verify', '--json'], { env: newEnv });
      expect(badManifest.code, badManifest.stdout).toBe(15);
      expect(linesOf(badManifest, 'problem')).toEqual([expect.objectContaining({ where: 'manifest', tampered: true })]);
      const restoreBadManifest = await run(['restore', '--target', c.targetUrl], { env: newEnv });
      expect(restoreBadManifest.code, restoreBadManifest.stderr).toBe(15);
      expect(restoreBadManifest.stderr).toContain(manifestKey);
      expect((await run(['list'], { env: newEnv })).code).toBe(15);
      await undoManifest();
      expect((await run(['verify'], { env: newEnv })).code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
}
