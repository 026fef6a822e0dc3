// `npm run sandbox`: a real source + target OpenTSDB 2.4.1 (and S3Proxy) to try tsdb-backup by hand.
// Seeds the source, prints the URLs and an example command, runs until Ctrl-C, then stops cleanly.
import { existsSync } from 'node:fs';
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
      const result = (await mod.seedTsd(url, { maxBodyBytes: 512 * 1024, concurrency: 4 })) as { points?: number; series?: number; start?: number; end?: number } | undefined;
      const range = result?.start !== undefined && result.end !== undefined
        ? `, ${new Date(result.start).toISOString()} .. ${new Date(result.end).toISOString()}`
        : '';
      log(`seeded ${result?.points ?? '?'} points in ${result?.series ?? '?'} series${range} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return;
    }
  }
  await placeholderSeed(url);
}

async function main(): Promise<void> {
  const problem = await javaProblem();
  if (problem) {
    console.error(`sandbox needs Java 17+ and Maven: ${problem}`);
    process.exitCode = 1;
    return;
  }
  const harness: Harness = await startHarness({ withS3: true, log });
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      log(`${signal} again: killing now`);
      process.exit(130); // the harness 'exit' hook SIGKILLs the JVMs
    }
    stopping = true;
    log(`${signal}: stopping...`);
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

  try {
    await seed(harness.sourceUrl);
  } catch (err) {
    console.error(err);
    await harness.stop();
    process.exitCode = 1;
    return;
  }

  const s3 = harness.s3;
  console.log(`
OpenTSDB sandbox is up (logs and data: ${harness.workDir})
  source TSD (auto-create metrics, chunked requests): ${harness.sourceUrl}
  target TSD (OpenTSDB defaults):                    ${harness.targetUrl}${s3 ? `
  S3 (S3Proxy, path-style):                          ${s3.endpoint}  bucket ${s3.bucket}
      AWS_ACCESS_KEY_ID=${s3.accessKeyId} AWS_SECRET_ACCESS_KEY=${s3.secretAccessKey} AWS_REGION=${s3.region}` : ''}

Run chosen e2e files against it (no second harness; extra TSDs start on its HBase):
  TSDB_E2E_SOURCE_URL=${harness.sourceUrl} TSDB_E2E_TARGET_URL=${harness.targetUrl} TSDB_E2E_WORK_DIR=${harness.workDir} npx vitest run --project e2e test/e2e/<file>

Try (a throwaway repository, so unencrypted; without --insecure-no-encryption, init asks for a password):
  tsdb-backup init --repo ./backups --insecure-no-encryption
  tsdb-backup full --source ${harness.sourceUrl} --repo ./backups
  (from this checkout: node bin/tsdb-backup.js init --repo ./backups --insecure-no-encryption, then
   node bin/tsdb-backup.js full --source ${harness.sourceUrl} --repo ./backups)

Ctrl-C stops everything.`);
  // stay alive until a signal arrives
  setInterval(() => undefined, 1 << 30);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
