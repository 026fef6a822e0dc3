// Runs one backup or restore through the library in its own process and prints its figures with the
// process's peak RSS, so the benchmark measures tsdb-backup alone (not the TSD or the data generator).

import { backup } from '../src/backup/backup.js';
import { TsdClient } from '../src/opentsdb/client.js';
import { Repository } from '../src/repository/repository.js';
import { restore } from '../src/restore/restore.js';
import { LocalStorage } from '../src/storage/local-storage.js';

const [mode, url, repoDir, startArg, endArg, concurrencyArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg ?? 4);
const client = new TsdClient({ url: url!, timeoutMs: 300_000 });
const storage = new LocalStorage(repoDir!);
const t0 = performance.now();
let out: Record<string, unknown>;
if (mode === 'backup') {
  const repository = await Repository.openOrInit(storage, new Date());
  const r = await backup(
    { metrics: [], start: Number(startArg), end: Number(endArg), concurrency, maxResponseBytes: 48 * 1024 * 1024, zstdLevel: 15 },
    { client, repository },
  );
  out = { id: r.manifest.id, points: r.manifest.totals.points, bytes: r.manifest.totals.bytes, chunks: r.manifest.totals.chunks, queries: r.queries, responseBytes: r.responseBytes };
} else {
  const repository = await Repository.open(storage);
  const r = await restore(
    { metrics: [], start: Number.MIN_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER, dryRun: false, concurrency, gzip: true },
    { repository, client },
  );
  out = { points: r.points, written: r.written, failed: r.failed, requests: r.requests };
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ ...out, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
