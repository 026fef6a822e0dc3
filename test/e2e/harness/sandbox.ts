// `npm run sandbox`: a real source + target OpenTSDB 2.4.1 (and S3Proxy) to try tsdb-backup by hand.
// Seeds the source, then keeps writing live points every 10 s (the dataset's generator: integers and
// floats) so that `--start 30d-ago` and incrementals find data; prints the URLs and an example command,
// and runs until it is stopped: Ctrl-C, SIGINT, SIGTERM or SIGHUP (to it, or to the npm process that started it:
// npm forwards SIGINT and SIGTERM, and the script `exec`s node so that no shell in between keeps a SIGINT
// to itself; for the rest it watches its parent processes and stops when they are gone), then stops every process it started (HBase, TSDs, S3Proxy, the writer).
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { javaProblem, startHarness, type Harness } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const log = (line: string): void => console.error(`[sandbox] ${line}`);

/** Points for the last 2 hours, used only until test/support/seed.ts exists. */
async function placeholderSeed(url: string): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const points: object[] = [];
  for (const host of ['web-1', 'web-2', 'db-1']) {
    for (let t = now - 7200; t <= now; t += 60) {
      points.push({ metric: 'sandbox.cpu.user', timestamp: t, value: String(((t / 60) % 100) + 0.5), tags: { host } });
      points.push({ metric: 'sandbox.requests', timestamp: t * 1000 + 250, value: (t / 60) % 1000, tags: { host } });
    }
  }
  for (let i = 0; i < points.length; i += 500) {
    const res = await fetch(`${url}/api/put?details&sync`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(points.slice(i, i + 500)),
    });
    if (res.status !== 200) throw new Error(`seeding failed: HTTP ${res.status} ${await res.text()}`);
  }
  log(`seeded ${points.length} placeholder points (2 metrics x 3 hosts, last 2 hours)`);
}

async function seed(url: string): Promise<void> {
  const seedModule = join(here, '..', '..', 'support', 'seed.ts');
  if (existsSync(seedModule)) {
    const mod = (await import(pathToFileURL(seedModule).href)) as {
      seedTsd?: (url: string, opts?: { maxBodyBytes?: number; concurrency?: number }) => Promise<unknown>;
    };
    if (typeof mod.seedTsd === 'function') {
      log('seeding the source with seedTsd() of test/support/seed.ts ...');
      const t0 = Date.now();
      // every ?sync put waits for the TSD's 1 s flush (tsd.storage.flush_interval): send big bodies
      // (the source takes up to 1 MiB) and several at once
      const result = (await mod.seedTsd(url, { maxBodyBytes: 512 * 1024, concurrency: 4 })) as
        { points?: number; series?: number; start?: number; end?: number } | undefined;
      const range =
        result?.start !== undefined && result.end !== undefined ? `, ${new Date(result.start).toISOString()} .. ${new Date(result.end).toISOString()}` : '';
      log(`seeded ${result?.points ?? '?'} points in ${result?.series ?? '?'} series${range} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return;
    }
  }
  await placeholderSeed(url);
}

const LIVE_INTERVAL_MS = 10_000;
const LIVE_BACKFILL_MS = 2 * 3_600_000;

/** Writes the live points of the last 2 hours; returns the time of the last one. */
async function backfillLive(url: string, signal: AbortSignal): Promise<number> {
  const { liveDatasetPoints } = await import('../../support/dataset.js');
  const { putPoints } = await import('../../support/put-points.js');
  const now = Math.floor(Date.now() / LIVE_INTERVAL_MS) * LIVE_INTERVAL_MS;
  const points = [];
  for (let t = now - LIVE_BACKFILL_MS; t <= now; t += LIVE_INTERVAL_MS) points.push(...liveDatasetPoints(t));
  await putPoints(url, points, { maxBodyBytes: 512 * 1024, signal });
  log(`live writer: wrote the last 2 hours (${points.length} points); now ${liveDatasetPoints(now).length} points every 10 s`);
  return now;
}

/** Writes the live points every 10 s after `last`, until the signal fires. */
async function writeLive(url: string, last: number, signal: AbortSignal): Promise<void> {
  const { liveDatasetPoints } = await import('../../support/dataset.js');
  const { putPoints } = await import('../../support/put-points.js');
  while (!signal.aborted) {
    await new Promise((r) => setTimeout(r, Math.max(0, last + LIVE_INTERVAL_MS - Date.now())));
    if (signal.aborted) break;
    last += LIVE_INTERVAL_MS;
    try {
      await putPoints(url, liveDatasetPoints(last), { signal });
    } catch (err) {
      if (!signal.aborted) log(`live writer: a write failed (${(err as Error).message}); trying again in 10 s`);
    }
  }
}

/** This process's parent and, through `sh -c`, the npm process above it (Linux /proc; elsewhere the parent alone). */
function watchedAncestors(): number[] {
  const pids = [process.ppid];
  try {
    while (pids.length < 4 && !/npm/.test(readFileSync(`/proc/${pids.at(-1)}/cmdline`, 'utf8'))) {
      const ppid = Number(
        readFileSync(`/proc/${pids.at(-1)}/stat`, 'utf8')
          .replace(/^.*\) /s, '')
          .split(' ')[1],
      );
      if (!(ppid > 1)) break;
      pids.push(ppid);
    }
    // no npm above: a direct `node --import tsx sandbox.ts` watches its parent only
    if (!/npm/.test(readFileSync(`/proc/${pids.at(-1)}/cmdline`, 'utf8'))) return [process.ppid];
  } catch {
    return [process.ppid];
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const problem = await javaProblem();
  if (problem) {
    console.error(`sandbox needs Java 17+ and Maven: ${problem}`);
    process.exitCode = 1;
    return;
  }
  const ancestors = watchedAncestors();
  const live = new AbortController();
  let stopping = false;
  let harness: Harness | undefined;
  const shutdown = (signal: string): void => {
    if (stopping) {
      log(`${signal} again: killing now`);
      process.exit(130); // the harness 'exit' hook SIGKILLs the JVMs
    }
    stopping = true;
    log(`${signal}: stopping...`);
    live.abort();
    if (!harness) process.exit(130); // still starting: the harness 'exit' hook kills what has started
    harness.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  // The npm process killed (SIGHUP, SIGKILL: signals npm does not forward) leaves this one running: notice it.
  setInterval(() => {
    const gone = ancestors.find((pid) => !alive(pid) || process.ppid !== ancestors[0]);
    if (gone !== undefined) shutdown(`parent process ${gone} gone`);
  }, 1000).unref();
  harness = await startHarness({ withS3: true, log });

  let lastLive: number;
  try {
    await seed(harness.sourceUrl);
    lastLive = await backfillLive(harness.sourceUrl, live.signal);
  } catch (err) {
    console.error(err);
    await harness.stop();
    process.exitCode = 1;
    return;
  }

  writeLive(harness.sourceUrl, lastLive, live.signal).catch((err: unknown) => log(`live writer stopped: ${(err as Error).message}`));

  const s3 = harness.s3;
  console.log(`
OpenTSDB sandbox is up (logs and data: ${harness.workDir})
  source TSD (auto-create metrics, chunked requests): ${harness.sourceUrl}
      seeded: 6 hours from 2026-01-01; live: a few points every 10 s (and the last 2 hours)
  target TSD (OpenTSDB defaults):                    ${harness.targetUrl}${
    s3
      ? `
  S3 (S3Proxy, path-style):                          ${s3.endpoint}  bucket ${s3.bucket}
      AWS_ACCESS_KEY_ID=${s3.accessKeyId} AWS_SECRET_ACCESS_KEY=${s3.secretAccessKey} AWS_REGION=${s3.region}`
      : ''
  }

Run chosen e2e files against it (no second harness; extra TSDs start on its HBase):
  TSDB_E2E_SOURCE_URL=${harness.sourceUrl} TSDB_E2E_TARGET_URL=${harness.targetUrl} TSDB_E2E_WORK_DIR=${harness.workDir} npx vitest run --project e2e test/e2e/<file>

Try (a throwaway repository, so unencrypted; without --insecure-no-encryption, init asks for a password):
  tsdb-backup init --repo ./backups --insecure-no-encryption
  tsdb-backup full --source ${harness.sourceUrl} --repo ./backups --start 30d-ago
  tsdb-backup incremental --source ${harness.sourceUrl} --repo ./backups      # a minute later
  (from this checkout: node bin/tsdb-backup.js init --repo ./backups --insecure-no-encryption, then
   node bin/tsdb-backup.js full --source ${harness.sourceUrl} --repo ./backups)

Ctrl-C (or SIGTERM, SIGHUP, to this process or its npm) stops everything.`);
  // stay alive until a signal arrives
  setInterval(() => undefined, 1 << 30);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
