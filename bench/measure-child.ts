// Runs one backup, incremental or restore through the library in its own process and prints its
// figures with the process's peak RSS, so the benchmark measures tsdb-backup alone (not the TSD or the
// data generator). The repository is a directory or an s3:// URL (S3 settings from the environment:
// BENCH_S3_ENDPOINT and the AWS SDK's credential variables). A backup takes every metric unless
// BENCH_METRICS lists patterns (comma-separated); BENCH_TARGET_POINTS overrides the points per query.
// A backup goes into a fresh location and creates the (plain) repository there first, as an operator
// runs `tsdb-backup init --insecure-no-encryption`; an incremental or a restore opens the existing one.
// A restore sends gzipped bodies unless BENCH_GZIP=false, moves every point by BENCH_SHIFT_MS if set, and
// keeps BENCH_PUT_CONCURRENCY puts in flight (default: the restore's). BENCH_UID_META=false backs up
// without the UID metadata requests (backup --no-uid-meta).

import { backup } from '../src/backup/backup.js';
import { chooseParent, incrementalWindow } from '../src/backup/incremental-window.js';
import { TsdClient } from '../src/opentsdb/client.js';
import { Repository } from '../src/repository/repository.js';
import { restore } from '../src/restore/restore.js';
import { openStorage } from '../src/storage/open-storage.js';
import { DEFAULT_ZSTD_LEVEL } from '../src/format/zstd-level.js';

const [mode, url, repoArg, startArg, endArg, concurrencyArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg ?? 4);
const client = new TsdClient({ url: url!, timeoutMs: 300_000 });
const s3Endpoint = process.env.BENCH_S3_ENDPOINT;
const storage = openStorage(repoArg!, s3Endpoint ? { s3: { endpoint: s3Endpoint, forcePathStyle: true, region: 'us-east-1' } } : {});
// BENCH_PASSWORD: a backup creates an encrypted repository (the default scrypt cost), others open it.
const encryption = process.env.BENCH_PASSWORD ? { password: process.env.BENCH_PASSWORD } : undefined;
const password = async (): Promise<string> => process.env.BENCH_PASSWORD ?? '';
const t0 = performance.now();
/** Creating or opening the repository: for an encrypted one, the key derivation (scrypt). */
let openSeconds = 0;
let out: Record<string, unknown>;
if (mode === 'backup' || mode === 'incremental') {
  const repository = mode === 'backup' ? await Repository.init(storage, { now: new Date(), encryption }) : await Repository.open(storage, { password });
  openSeconds = (performance.now() - t0) / 1000;
  let start = Number(startArg);
  let end = Number(endArg);
  let parent;
  if (mode === 'incremental') {
    parent = chooseParent((await repository.manifests()).manifests, { url: url! });
    ({ start } = incrementalWindow(parent!, end, { overlapMs: 3_600_000, settleMs: 0 }));
  }
  const r = await backup(
    {
      type: mode === 'backup' ? 'full' : 'incremental',
      parent,
      metrics: process.env.BENCH_METRICS ? process.env.BENCH_METRICS.split(',') : [],
      start,
      end,
      concurrency,
      maxResponseBytes: 48 * 1024 * 1024,
      zstdLevel: DEFAULT_ZSTD_LEVEL,
      uidMeta: process.env.BENCH_UID_META !== 'false',
      ...(process.env.BENCH_TARGET_POINTS ? { sizing: { targetPoints: Number(process.env.BENCH_TARGET_POINTS) } } : {}),
    },
    { client, repository },
  );
  out = {
    id: r.manifest.id,
    points: r.manifest.totals.points,
    series: r.manifest.totals.series,
    bytes: r.manifest.totals.bytes,
    chunks: r.manifest.totals.chunks,
    queries: r.queries,
    responseBytes: r.responseBytes,
  };
} else {
  const repository = await Repository.open(storage, { password });
  openSeconds = (performance.now() - t0) / 1000;
  // When the check of the target (every chunk read and compared before anything is written) starts and ends.
  let checkStarted = 0;
  let checkSeconds = 0;
  const r = await restore(
    {
      metrics: [],
      start: Number.MIN_SAFE_INTEGER,
      end: Number.MAX_SAFE_INTEGER,
      dryRun: false,
      concurrency,
      gzip: process.env.BENCH_GZIP !== 'false',
      ...(process.env.BENCH_PUT_CONCURRENCY ? { putConcurrency: Number(process.env.BENCH_PUT_CONCURRENCY) } : {}),
      ...(process.env.BENCH_SHIFT_MS ? { transform: { shiftMs: Number(process.env.BENCH_SHIFT_MS) } } : {}),
    },
    {
      repository,
      client,
      progress: (e) => {
        if (e.type !== 'phase') return;
        if (e.phase === 'conflict-check') checkStarted = performance.now();
        else if (e.phase === 'restore' && checkStarted > 0 && checkSeconds === 0) checkSeconds = (performance.now() - checkStarted) / 1000;
      },
    },
  );
  out = { points: r.points, written: r.written, failed: r.failed, requests: r.requests, checkSeconds };
}
const seconds = (performance.now() - t0) / 1000;
const usage = process.resourceUsage();
const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
process.stdout.write(`${JSON.stringify({ ...out, seconds, openSeconds, cpuSeconds, maxRssMb: usage.maxRSS / 1024 })}\n`);
