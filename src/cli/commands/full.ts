// tsdb-backup full: back up every (or the selected) metric at raw resolution.

import { Command } from 'commander';
import { backup } from '../../backup/backup.js';
import { Repository } from '../../repository/repository.js';
import { openStorage } from '../../storage/open-storage.js';
import type { CliIo } from '../cli-io.js';
import { formatBytes, formatCount, formatDuration, formatRate } from '../format-numbers.js';
import { collect, durationMs, positiveInt, timeMs } from '../option-parsers.js';
import { createProgressRenderer } from '../progress-renderer.js';
import { addTsdOptions, makeTsdClient, type TsdOptionValues } from '../tsd-options.js';

interface FullOptions extends TsdOptionValues {
  source: string;
  repo: string;
  metric?: string[];
  start: string;
  end: string;
  concurrency: number;
  maxResponseMb: number;
  targetPoints: number;
  minWindow: string;
  maxWindow: string;
  zstdLevel: number;
  json?: boolean;
  quiet?: boolean;
}

export function fullCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('full')
    .description('back up all (or the selected) metrics at raw resolution into the repository')
    .requiredOption('--source <url>', 'the TSD to read, e.g. http://tsd:4242 (user:password@ for basic auth)')
    .requiredOption('--repo <path>', 'repository directory (created on first use)')
    .option('--metric <pattern>', "metric name or glob, e.g. 'sys.*' (repeatable; default: every metric)", collect)
    .option('--start <time>', 'oldest data to include: 30d-ago, 2026-01-01, 2026/01/01-00:00:00, epoch s/ms', '1970-01-01T00:00:01Z')
    .option('--end <time>', 'newest data to include', 'now')
    .option('--concurrency <n>', 'metrics backed up at once', positiveInt('--concurrency', 64), 4)
    .option('--max-response-mb <n>', 'largest TSD answer to accept before splitting the query', positiveInt('--max-response-mb', 1024), 48)
    .option('--target-points <n>', 'points each query aims for; windows adapt to reach it', positiveInt('--target-points'), 250_000)
    .option('--min-window <duration>', 'shortest time window before splitting by series instead', '1m')
    .option('--max-window <duration>', 'longest time window for a metric with no data seen yet', '7d')
    .option('--zstd-level <n>', 'zstd compression level (1-19)', positiveInt('--zstd-level', 19), 9)
    .option('--json', 'print JSON lines (progress events and a summary) on stdout')
    .option('--quiet', 'no progress output, only the result and errors');
  addTsdOptions(cmd);
  return cmd.action(async (o: FullOptions) => {
    const now = io.now().getTime();
    const start = timeMs('--start', o.start, now);
    const end = timeMs('--end', o.end, now);
    const renderer = createProgressRenderer(io, { json: Boolean(o.json), verb: 'backup', quiet: o.quiet });
    try {
      const client = makeTsdClient(o.source, o, io, renderer.report);
      const storage = openStorage(o.repo, { cwd: io.cwd });
      const repository = await Repository.openOrInit(storage, io.now(), { signal: io.signal });
      const result = await backup(
        {
          metrics: o.metric ?? [],
          start,
          end,
          concurrency: o.concurrency,
          maxResponseBytes: o.maxResponseMb * 1024 * 1024,
          zstdLevel: o.zstdLevel,
          sizing: { minWindowMs: durationMs('--min-window', o.minWindow), maxWindowMs: durationMs('--max-window', o.maxWindow), targetPoints: o.targetPoints },
        },
        { client, repository, now: io.now, progress: renderer.report, signal: io.signal },
      );
      renderer.stop();
      const m = result.manifest;
      if (o.json) {
        io.stdout(`${JSON.stringify({ type: 'summary', id: m.id, repository: storage.toString(), ...m.totals, range: m.range, queries: result.queries, responseBytes: result.responseBytes, reusedChunks: result.reusedChunks, durationMs: result.durationMs })}\n`);
      } else {
        io.stderr(
          `backup ${m.id} complete: ${m.totals.metrics} metrics, ${formatCount(m.totals.series)} series, ${formatCount(m.totals.points)} points ` +
            `in ${m.totals.chunks} chunks, ${formatBytes(m.totals.bytes)} (${(m.totals.bytes / Math.max(1, m.totals.points)).toFixed(2)} bytes/point), ` +
            `${formatDuration(result.durationMs)}, ${formatRate(m.totals.points, result.durationMs)}\n`,
        );
        io.stdout(`${m.id}\n`);
      }
      done(0);
    } finally {
      renderer.stop();
    }
  });
}
