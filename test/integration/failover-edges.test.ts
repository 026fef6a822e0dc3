// Failover and failback where a switch would hide data: a metric the standby refuses, a standby that
// cannot be reached, and points written to the standby while the failback hook moves the writers.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { cli } from '../support/run-cli-in-process.js';
import { pointCount, snapshot } from '../support/compare-clusters.js';
import { putPoints } from '../support/put-points.js';
import { closedPort } from '../support/closed-port.js';

describe('failover and failback edges (fake TSD)', () => {
  let primary: FakeTsd;
  let standby: FakeTsd;
  let dir: string;
  beforeAll(async () => {
    primary = await startFakeTsd({ autoCreateMetrics: true });
    standby = await startFakeTsd({ autoCreateMetrics: true, maxTags: 2 });
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-fo-edges-'));
  });
  afterAll(async () => Promise.all([primary.close(), standby.close(), rm(dir, { recursive: true, force: true })]));

  it('--require-complete refuses to switch when the standby refuses a metric, and says which', async () => {
    const t0 = Date.now() - 600_000;
    await putPoints(
      primary.url,
      [0, 1, 2].map((i) => ({ metric: 'edge.bad', tags: { a: '1', b: '2', c: '3' }, timestamp: t0 + i * 1000, value: String(i) })),
    );
    await putPoints(
      primary.url,
      [0, 1].map((i) => ({ metric: 'edge.good', tags: { a: '1' }, timestamp: t0 + i * 1000, value: String(i) })),
    );
    const state = path.join(dir, 'tags.json');
    const rep = await cli([
      'replicate',
      '--source',
      primary.url,
      '--target',
      standby.url,
      '--state',
      state,
      '--metric',
      'edge.*',
      '--start',
      String(t0 - 1000),
      '--settle',
      '0s',
      '--once',
    ]);
    expect(rep.code).toBe(8);
    const fo = await cli(['failover', '--from', primary.url, '--to', standby.url, '--state', state, '--require-complete', '--json', '--settle', '0s']);
    expect(fo.code).toBe(8);
    const r = fo.json.find((e) => e.type === 'summary' && e.command === 'failover') as {
      switched: boolean;
      uncopied: Array<{ metric: string; error: string }>;
    };
    expect(r.switched).toBe(false);
    expect(r.uncopied.map((u) => u.metric)).toEqual(['edge.bad']);
    expect(r.uncopied[0]!.error).toMatch(/edge\.bad/);
    expect(JSON.parse(await readFile(state, 'utf8')).failover).toBeUndefined();
  });

  it('refuses to fail over to a standby that cannot be reached: nothing recorded, no hook', async () => {
    const state = path.join(dir, 'dead.json');
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const t0 = Date.now() - 60_000;
    await putPoints(primary.url, [{ metric: 'edge.dead', tags: { a: '1' }, timestamp: t0, value: '1' }]);
    // A state for the pair, as replicate would have left it.
    expect(
      (
        await cli([
          'replicate',
          '--source',
          primary.url,
          '--target',
          standby.url,
          '--state',
          state,
          '--metric',
          'edge.dead',
          '--start',
          String(t0 - 1000),
          '--once',
        ])
      ).code,
    ).toBe(0);
    const hookLog = path.join(dir, 'dead-hook.log');
    // The same replication, but its standby is now unreachable.
    const stateForDead = path.join(dir, 'dead2.json');
    await writeFile(stateForDead, JSON.stringify({ ...JSON.parse(await readFile(state, 'utf8')), target: dead }));
    const fo = await cli([
      'failover',
      '--from',
      primary.url,
      '--to',
      dead,
      '--state',
      stateForDead,
      '--hook',
      `echo ran > ${hookLog}`,
      '--retries',
      '1',
      '--timeout',
      '2s',
    ]);
    expect(fo.code, fo.stderr).toBe(12);
    expect(JSON.parse(await readFile(stateForDead, 'utf8')).failover).toBeUndefined();
    await expect(readFile(hookLog, 'utf8')).rejects.toThrow();
  });

  it('failback copies the points written to the standby while its hook moves the writers', async () => {
    const p = await startFakeTsd({ autoCreateMetrics: true });
    const s = await startFakeTsd({ autoCreateMetrics: true });
    try {
      const t0 = Date.now() - 600_000;
      await putPoints(
        p.url,
        [0, 1].map((i) => ({ metric: 'edge.hook', tags: { a: '1' }, timestamp: t0 + i * 1000, value: String(i) })),
      );
      const state = path.join(dir, 'hook.json');
      expect(
        (
          await cli([
            'replicate',
            '--source',
            p.url,
            '--target',
            s.url,
            '--state',
            state,
            '--metric',
            'edge.*',
            '--start',
            String(t0 - 1000),
            '--settle',
            '0s',
            '--once',
          ])
        ).code,
      ).toBe(0);
      expect((await cli(['failover', '--from', p.url, '--to', s.url, '--state', state, '--settle', '0s'])).code).toBe(0);
      // The hook is slow to move the writers: one more point reaches the standby meanwhile.
      const late = JSON.stringify([{ metric: 'edge.hook', tags: { a: '1' }, timestamp: Date.now() - 500, value: '7' }]);
      const script = `await fetch(${JSON.stringify(`${s.url}/api/put?sync`)}, { method: 'POST', body: ${JSON.stringify(late)} })`;
      const hook = `'${process.execPath}' --input-type=module -e '${script.replace(/'/g, `'\\''`)}'`;
      const fb = await cli(['failback', '--from', s.url, '--to', p.url, '--state', state, '--hook', hook, '--settle', '1s', '--json']);
      expect(fb.code, fb.stdout + fb.stderr).toBe(0);
      const r = fb.json.find((e) => e.type === 'summary' && e.command === 'failback') as { trailing: { ok: boolean; pointsWritten: number } };
      expect(r.trailing).toEqual({ ok: true, pointsWritten: 1 });
      const onPrimary = await snapshot(p.url, ['edge.hook'], t0 - 1000, Date.now() + 1000);
      expect(pointCount(onPrimary)).toBe(3);
    } finally {
      await Promise.all([p.close(), s.close()]);
    }
  });
});
