// A resumed restore writes the UID metadata of the tag names used by every restored series, also of
// series in the chunks an interrupted run had written (and this run skips): metadata is written once,
// at the end, by the run that finishes.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/backup.js';
import { TsdClient } from '../../src/opentsdb/client.js';
import { Repository } from '../../src/repository/repository.js';
import { restore, type RestoreOptions } from '../../src/restore/restore.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { putPoints } from '../support/put-points.js';
import { setUidMeta, uidsOf } from '../support/metadata.js';
import { useTempDir } from '../support/temp-dir.js';

const T0 = Date.UTC(2026, 4, 2);
const HOSTS = ['h0', 'h1', 'h2', 'h3', 'h4', 'h5'];
const metricOf = (host: string): string => `resmeta.${host}`;

async function tsuidOf(url: string, metric: string): Promise<string> {
  const res = await fetch(`${url}/api/query`, {
    method: 'POST',
    body: JSON.stringify({ start: T0, end: T0 + 60_000, msResolution: true, showTSUIDs: true, queries: [{ metric, aggregator: 'none' }] }),
  });
  return ((await res.json()) as Array<{ tsuids: string[] }>)[0]!.tsuids[0]!;
}

async function tagvDescription(url: string, host: string): Promise<string | undefined> {
  const res = await fetch(`${url}/api/uid/uidmeta?${new URLSearchParams({ uid: uidsOf(await tsuidOf(url, metricOf(host))).tagv, type: 'tagv' })}`);
  return res.ok ? ((await res.json()) as { description?: string }).description : undefined;
}

describe('a resumed restore and UID metadata', () => {
  const tmp = useTempDir('tsdb-backup-resume-meta-');
  let source: FakeTsd;
  let target: FakeTsd;
  const repository = { current: undefined as Repository | undefined };
  beforeAll(async () => {
    source = await startFakeTsd({ autoCreateMetrics: true });
    target = await startFakeTsd({ autoCreateMetrics: true });
    await putPoints(
      source.url,
      HOSTS.map((host) => ({ metric: metricOf(host), tags: { host }, timestamp: T0, value: '1.5' })),
    );
    for (const host of HOSTS) await setUidMeta(source.url, 'tagv', uidsOf(await tsuidOf(source.url, metricOf(host))).tagv, { description: `the host ${host}` });
    repository.current = await Repository.init(new MemoryStorage(), { now: new Date(T0) });
    const r = await backup(
      { metrics: [], start: T0, end: T0 + 60_000, concurrency: 1, maxResponseBytes: 1 << 20, zstdLevel: 3 },
      { client: new TsdClient({ url: source.url }), repository: repository.current },
    );
    expect(r.manifest.metadata?.uidMeta).toBe(HOSTS.length);
  });
  afterAll(async () => {
    await Promise.all([source.close(), target.close()]);
  });

  it('writes the tag values of the chunks the interrupted run wrote, too', async () => {
    const stateDir = path.join(tmp(), 'state');
    const options = (resume: boolean): RestoreOptions => ({
      metrics: [],
      start: T0,
      end: T0 + 60_000,
      dryRun: false,
      concurrency: 1,
      gzip: false,
      journal: { dir: stateDir, resume },
    });
    const client = new TsdClient({ url: target.url, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const ac = new AbortController();
    let written = 0;
    await expect(
      restore(options(false), {
        repository: repository.current!,
        client,
        signal: ac.signal,
        progress: (e) => void (e.type === 'written' && ++written === 3 && ac.abort()),
      }),
    ).rejects.toMatchObject({ code: 'INTERRUPTED' });
    const r = await restore(options(true), { repository: repository.current!, client });
    expect(r.resumed?.chunks).toBe(3);
    expect(r.metadata?.uidMeta).toBe(HOSTS.length);
    for (const host of HOSTS) expect(await tagvDescription(target.url, host)).toBe(`the host ${host}`);
  });
});
