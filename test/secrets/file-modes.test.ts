// What tsdb-backup creates is private to its user, whatever the umask: files 0600, directories 0700.
// Directories and files the operator made keep their modes.

import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { seedTsd } from '../support/seed.js';

async function modes(root: string): Promise<Array<[string, number]>> {
  const out: Array<[string, number]> = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath, e.name);
    out.push([path.relative(root, p), (await stat(p)).mode & 0o777]);
  }
  return out;
}

const modeOf = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;

describe('file modes', () => {
  let dir: string;
  let source: FakeTsd;
  let target: FakeTsd;
  let umask: number;

  beforeAll(async () => {
    umask = process.umask(0o022);
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-modes-'));
    source = await startFakeTsd({ autoCreateMetrics: true });
    target = await startFakeTsd();
    await seedTsd(source.url, { scale: 'small' });
  });
  afterAll(async () => {
    process.umask(umask);
    await Promise.all([source, target].map((t) => t?.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('a local repository (encrypted: its key file too) and the status files are created 0700 / 0600 under umask 022', async () => {
    const repo = path.join(dir, 'new', 'repo');
    await initRepo(repo, { password: 'pw' });
    for (const status of ['status.json', 'status.prom']) {
      const r = await cli(['full', '--source', source.url, '--repo', repo, '--quiet', '--metric', 'sys.cpu.*', '--status-file', path.join(dir, status)], {
        env: { TSDB_BACKUP_PASSWORD: 'pw' },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(await modeOf(path.join(dir, status))).toBe(0o600);
    }
    expect(await modeOf(path.join(dir, 'new'))).toBe(0o700);
    const entries = await modes(path.join(dir, 'new'));
    expect(entries.length).toBeGreaterThan(5);
    expect(entries.some(([p]) => p.includes(`${path.sep}keys${path.sep}`))).toBe(true);
    for (const [p, mode] of entries) expect(`${p} ${mode.toString(8)}`).toMatch(/ (600|700)$/);
  });

  it('health and replication status files and the replication state are 0600', async () => {
    const h = await cli(['health', '--tsd', source.url, '--read-only', '--status-file', path.join(dir, 'health.prom')]);
    expect(h.code, h.stderr).toBe(0);
    const state = path.join(dir, 'state.json');
    const rep = await cli([
      'replicate',
      '--source',
      source.url,
      '--target',
      target.url,
      '--state',
      state,
      '--once',
      '--metric',
      'sys.cpu.*',
      '--start',
      '2026-01-01',
      '--status-file',
      path.join(dir, 'replication.json'),
    ]);
    expect(rep.code, rep.stderr).toBe(0);
    for (const f of ['health.prom', 'state.json', 'replication.json']) expect(`${f} ${(await modeOf(path.join(dir, f))).toString(8)}`).toBe(`${f} 600`);
  });

  it("a directory or status file the operator made keeps its mode (e.g. readable by node_exporter's group)", async () => {
    const repo = path.join(dir, 'operators');
    await mkdir(repo, { mode: 0o755 });
    await chmod(repo, 0o755);
    const status = path.join(dir, 'shared.prom');
    await writeFile(status, '');
    await chmod(status, 0o640);
    await initRepo(repo);
    const r = await cli(['full', '--source', source.url, '--repo', repo, '--quiet', '--metric', 'sys.cpu.*', '--status-file', status]);
    expect(r.code, r.stderr).toBe(0);
    expect(await modeOf(repo)).toBe(0o755);
    expect(await modeOf(status)).toBe(0o640);
    for (const [p, mode] of await modes(repo)) expect(`${p} ${mode.toString(8)}`).toMatch(/ (600|700)$/);
  });
});
