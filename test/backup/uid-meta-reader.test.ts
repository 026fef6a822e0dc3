// UID metadata is read while the points are: each UID once, as soon as a series names it, and the reads stop
// together (no GET starts after a failure or a close, and both wait for those in flight).

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { METADATA_CONCURRENCY, UidMetaReader } from '../../src/backup/uid-meta-reader.js';
import { startFakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { setUidMeta } from '../support/metadata.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';
import { useTempDir } from '../support/temp-dir.js';

interface Gate {
  asked: string[];
  inFlight: number;
  maxInFlight: number;
  release: () => void;
}

/** A client whose GETs wait for `release()`; the UID 'bad' fails. */
function gatedClient(): { client: ConstructorParameters<typeof UidMetaReader>[0]; gate: Gate } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const gate: Gate = { asked: [], inFlight: 0, maxInFlight: 0, release: () => open() };
  const client = {
    toString: () => 'gated',
    request: async (req: { path: string }, opts?: { signal?: AbortSignal }) => {
      const uid = new URLSearchParams(req.path.split('?')[1]).get('uid')!;
      gate.asked.push(uid);
      gate.inFlight++;
      gate.maxInFlight = Math.max(gate.maxInFlight, gate.inFlight);
      try {
        await Promise.race([opened, new Promise((_, reject) => opts?.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }))]);
        if (uid === 'bad') throw new Error('the TSD failed');
        return {
          status: 200,
          bytes: 0,
          text: JSON.stringify({ uid, type: 'METRIC', name: `n-${uid}`, displayName: 'd', description: '', notes: '', custom: null }),
        };
      } finally {
        gate.inFlight--;
      }
    },
  };
  return { client, gate };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('UidMetaReader', () => {
  it('starts each read when asked, once per UID, at most METADATA_CONCURRENCY at a time', async () => {
    const { client, gate } = gatedClient();
    const reader = new UidMetaReader(client);
    const refs = Array.from({ length: METADATA_CONCURRENCY + 5 }, (_, i) => ({ type: 'metric' as const, uid: `u${i}` }));
    for (const r of refs) reader.ask(r);
    reader.ask(refs[0]!);
    await tick();
    expect(gate.asked).toHaveLength(METADATA_CONCURRENCY);
    gate.release();
    const found = await reader.all(refs);
    expect(found.map((m) => m?.name)).toEqual(refs.map((r) => `n-${r.uid}`));
    expect(gate.asked).toHaveLength(refs.length);
    expect(gate.maxInFlight).toBe(METADATA_CONCURRENCY);
  });

  it('after a failure starts no other read; all() gives the UIDs not read one more pass, and throws a failure in it', async () => {
    const { client, gate } = gatedClient();
    const reader = new UidMetaReader(client);
    const refs = [{ type: 'metric' as const, uid: 'bad' }, ...Array.from({ length: 40 }, (_, i) => ({ type: 'tagv' as const, uid: `v${i}` }))];
    for (const r of refs) reader.ask(r);
    gate.release();
    while (gate.inFlight > 0) await tick();
    await tick();
    // Only the first batch was started: the failure stopped the queue.
    expect(gate.asked.length).toBeLessThanOrEqual(METADATA_CONCURRENCY);
    await expect(reader.all(refs)).rejects.toThrow('the TSD failed');
    expect(gate.inFlight).toBe(0);
    // The second pass asked 'bad' again (failing at once, it stopped that pass too), never a UID already read.
    const twice = gate.asked.filter((u, i) => gate.asked.indexOf(u) !== i);
    expect(twice).toEqual(['bad']);
    expect(gate.asked.length).toBeGreaterThan(METADATA_CONCURRENCY);
  });

  it('a UID whose read failed while the points were read is read again at the end', async () => {
    const { client, gate } = gatedClient();
    let failures = 1;
    const flaky: typeof client = {
      ...client,
      request: async (req, opts) => {
        if (req.path.includes('uid=flaky') && failures-- > 0) throw new Error('the TSD restarted');
        return client.request(req, opts);
      },
    };
    gate.release();
    const reader = new UidMetaReader(flaky);
    const refs = [
      { type: 'tagk' as const, uid: 'flaky' },
      { type: 'tagk' as const, uid: 'k1' },
    ];
    for (const r of refs) reader.ask(r);
    expect((await reader.all(refs)).map((m) => m?.name)).toEqual(['n-flaky', 'n-k1']);
  });

  it('close() aborts the reads in flight, starts no queued one, and returns once they settled', async () => {
    const { client, gate } = gatedClient();
    const reader = new UidMetaReader(client);
    for (let i = 0; i < 40; i++) reader.ask({ type: 'tagk', uid: `k${i}` });
    await tick();
    await reader.close();
    expect(gate.inFlight).toBe(0);
    expect(gate.asked).toHaveLength(METADATA_CONCURRENCY);
  });
});

describe('a backup reads UID metadata while it reads the points', () => {
  const tmp = useTempDir('tsdb-backup-uid-reader-');

  it('sends UID metadata GETs before its last data query, and keeps the metadata found', async () => {
    const tsd = await startFakeTsd({ autoCreateMetrics: true });
    try {
      const t0 = Date.UTC(2026, 4, 2);
      const metrics = Array.from({ length: 6 }, (_, i) => `early.m${i}`);
      await putPoints(
        tsd.url,
        metrics.flatMap((metric) => [0, 1].map((i) => ({ metric, tags: { host: `h${i}` }, timestamp: t0 + i * 60_000, value: String(i) }))),
      );
      const metricUid = tsd
        .uids()
        .metrics.find((u) => u.name === 'early.m0')!
        .uid.toString(16)
        .padStart(6, '0')
        .toUpperCase();
      await setUidMeta(tsd.url, 'metric', metricUid, { displayName: 'the first' });
      const repo = path.join(tmp(), 'repo');
      await initRepo(repo);
      tsd.stats.requests.length = 0;
      const r = await cli([
        'full',
        '--source',
        tsd.url,
        '--repo',
        repo,
        '--start',
        String(t0),
        '--end',
        String(t0 + 3_600_000),
        '--concurrency',
        '1',
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const paths = tsd.stats.requests.map((q) => q.path);
      const lastQuery = paths.length - 1 - [...paths].reverse().findIndex((p) => p.startsWith('/api/query'));
      const firstUid = paths.findIndex((p) => p.startsWith('/api/uid/uidmeta'));
      expect(firstUid).toBeGreaterThanOrEqual(0);
      expect(firstUid).toBeLessThan(lastQuery);
      expect(r.json.find((e) => e.type === 'summary')).toMatchObject({ uidMeta: 1 });
    } finally {
      await tsd.close();
    }
  });
});
