import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readState, stateFor, writeState } from '../../src/replicate/replication-state.js';
import { lockState } from '../../src/replicate/state-lock.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';

describe('replication state', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-state-'))));
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('round-trips, and refuses another pair or another selection', async () => {
    const file = path.join(dir, 's.json');
    const want = { source: 'http://a:4242', target: 'http://b:4242', selection: { metrics: ['x.*'], exclude: [] }, start: 1000 };
    const s = stateFor(undefined, want, file);
    s.checkpoints['x.y'] = 5000;
    await writeState(file, s, new Date(0));
    const back = await readState(file);
    expect(back?.checkpoints).toEqual({ 'x.y': 5000 });
    expect(stateFor(back, want, file)).toBe(back);
    expect(() => stateFor(back, { ...want, target: 'http://c:4242' }, file)).toThrow(/is for http:\/\/a:4242 -> http:\/\/b:4242/);
    expect(() => stateFor(back, { ...want, selection: { metrics: ['y.*'], exclude: [] } }, file)).toThrow(/written for --metric/);
  });

  it('a damaged or foreign file is an error with its own message, a missing one is new', async () => {
    expect(await readState(path.join(dir, 'none.json'))).toBeUndefined();
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{"format":"tsdb-backup-replication",');
    await expect(readState(bad)).rejects.toMatchObject({ code: 'STATE_INVALID' });
    await writeFile(bad, '{"hello":1}');
    const err = await readState(bad).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/not a tsdb-backup replication state/);
    expect(exitCodeFor(err)).toBe(1);
  });

  it('one process at a time; a lock left by a dead process is taken over', async () => {
    const file = path.join(dir, 'lock.json');
    const release = await lockState(file, 'replicate', new Date(0));
    const second = await lockState(file, 'failover', new Date(0)).catch((e: unknown) => e);
    expect((second as Error).message).toMatch(/in use by replicate \(pid \d+/);
    expect(exitCodeFor(second)).toBe(11);
    await release();
    // A lock of a process that no longer runs on this host.
    await writeFile(`${file}.lock`, JSON.stringify({ host: (await import('node:os')).hostname(), pid: 2 ** 22 + 12345, command: 'replicate', since: 'x' }));
    const again = await lockState(file, 'replicate', new Date(0));
    expect(JSON.parse(await readFile(`${file}.lock`, 'utf8')).pid).toBe(process.pid);
    await again();
  });
});

describe('state lock in a container', () => {
  it('a lock with our own pid (an earlier process of a restarted container) is stale', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-lockpid-'));
    try {
      const file = path.join(dir, 's.json');
      await writeFile(`${file}.lock`, JSON.stringify({ host: (await import('node:os')).hostname(), pid: process.pid, command: 'replicate', since: 'x' }));
      const release = await lockState(file, 'replicate', new Date(0));
      await release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
