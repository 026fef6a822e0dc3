// Restore: resolve the backup, choose its chunks, preflight the target, then per chunk verify its
// checksum, decode it and write its points in batches the target accepts, with ?details&sync so that
// every point's fate is known. Writing the same points again is harmless, so a restore can be re-run.

import pLimit from 'p-limit';
import { selectMetrics } from '../backup/metric-selection.js';
import { TsdbBackupError, throwIfAborted } from '../errors.js';
import { decodeChunk, ChunkFormatError } from '../format/chunk-codec.js';
import type { ChunkEntry } from '../format/manifest.js';
import type { TsdClient } from '../opentsdb/client.js';
import { silentProgress, type ProgressReporter } from '../progress.js';
import { ChunkCorruptError } from '../repository/errors.js';
import type { Repository } from '../repository/repository.js';
import { chunkSelectionSummary } from './chunk-summary.js';
import { selectChunks } from './chunk-selection.js';
import { PutBatcher, pointJson, type PutBody } from './put-batches.js';
import { readTargetLimits, type TargetLimits } from './target-limits.js';
import { UidPrecreator } from './uid-precreate.js';

export interface RestoreOptions {
  backupId?: string;
  metrics: string[];
  start: number;
  end: number;
  dryRun: boolean;
  concurrency: number;
  /** Compress put bodies; the target's size limit then applies to the compressed bytes. */
  gzip: boolean;
}

export interface RestoreDeps {
  repository: Repository;
  /** Required unless dryRun. */
  client?: TsdClient;
  progress?: ProgressReporter;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface PointFailure {
  metric: string;
  chunk: string;
  error: string;
  datapoint: unknown;
}

export interface RestoreResult {
  backupId: string;
  target: string | null;
  dryRun: boolean;
  chunks: number;
  metrics: number;
  /** Points selected from the backup. */
  points: number;
  written: number;
  failed: number;
  /** Up to 20 failed points with the TSD's reason. */
  failures: PointFailure[];
  requests: number;
  durationMs: number;
}

const MAX_REPORTED_FAILURES = 20;

async function readChunk(repo: Repository, entry: ChunkEntry, signal?: AbortSignal) {
  const bytes = await repo.getChunk(entry, { signal });
  try {
    const chunk = decodeChunk(bytes);
    const points = chunk.series.reduce((n, s) => n + s.timestamps.length, 0);
    if (chunk.metric !== entry.metric || points !== entry.points || chunk.series.length !== entry.series) {
      throw new ChunkFormatError(`it holds ${chunk.metric}/${chunk.series.length} series/${points} points, the manifest says ${entry.metric}/${entry.series}/${entry.points}`);
    }
    return chunk;
  } catch (err) {
    if (err instanceof ChunkFormatError) throw new ChunkCorruptError(entry.key, repo.toString(), err.message, { cause: err });
    throw err;
  }
}

export async function restore(opts: RestoreOptions, deps: RestoreDeps): Promise<RestoreResult> {
  const started = (deps.now ?? (() => new Date()))().getTime();
  const progress = deps.progress ?? silentProgress;
  const { repository: repo, signal } = deps;
  const manifest = await repo.resolve(opts.backupId, { signal });
  const chunks = selectChunks(manifest, selectMetrics(opts.metrics), opts.start, opts.end);
  const summary = chunkSelectionSummary(chunks);
  progress({ type: 'plan', metrics: summary.metrics, chunks: chunks.length, points: summary.points });

  let limits: TargetLimits | undefined;
  let uids: UidPrecreator | undefined;
  const client = deps.client;
  if (!opts.dryRun) {
    if (!client) throw new TsdbBackupError('USAGE', 'restore needs a target TSD unless --dry-run');
    progress({ type: 'phase', phase: 'preflight', detail: client.toString() });
    limits = await readTargetLimits(client, { signal });
    uids = new UidPrecreator(client, limits.maxBodyBytes);
    if (!limits.autoCreateMetrics) {
      progress({ type: 'phase', phase: 'create-metrics', detail: `${summary.metrics} metric names` });
      await uids.ensure('metric', chunks.map((c) => c.metric), signal);
    }
  }

  const result: RestoreResult = {
    backupId: manifest.id,
    target: client ? client.toString() : null,
    dryRun: opts.dryRun,
    chunks: chunks.length,
    metrics: summary.metrics,
    points: 0,
    written: 0,
    failed: 0,
    failures: [],
    requests: 0,
    durationMs: 0,
  };

  const send = async (entry: ChunkEntry, body: PutBody): Promise<{ ok: number; failed: number }> => {
    const res = await client!.put(body.body, { gzip: body.gzip, signal });
    result.requests++;
    result.written += res.success;
    result.failed += res.failed;
    for (const e of res.errors) {
      if (result.failures.length < MAX_REPORTED_FAILURES) result.failures.push({ metric: entry.metric, chunk: entry.key, error: e.error, datapoint: e.datapoint });
    }
    if (res.success + res.failed !== body.points) {
      // The TSD did not account for every point we sent: treat the difference as failed, never as written.
      const missing = body.points - res.success - res.failed;
      if (missing > 0) result.failed += missing;
    }
    return { ok: res.success, failed: res.failed };
  };

  const limit = pLimit(opts.concurrency);
  await Promise.all(
    chunks.map((entry) =>
      limit(async () => {
        throwIfAborted(signal);
        const chunk = await readChunk(repo, entry, signal);
        if (opts.dryRun || !limits || !uids) {
          let n = 0;
          for (const _ of pointJson(chunk.metric, chunk.series, opts.start, opts.end)) n++;
          result.points += n;
          progress({ type: 'written', metric: chunk.metric, points: n, failed: 0 });
          return;
        }
        if (!limits.autoCreateTagks) await uids.ensure('tagk', chunk.series.flatMap((s) => Object.keys(s.tags)), signal);
        if (!limits.autoCreateTagvs) await uids.ensure('tagv', chunk.series.flatMap((s) => Object.values(s.tags)), signal);
        const batcher = new PutBatcher({ maxBodyBytes: limits.maxBodyBytes, gzip: opts.gzip });
        let points = 0;
        let ok = 0;
        let failed = 0;
        const flushAll = async (bodies: PutBody[]): Promise<void> => {
          for (const b of bodies) {
            throwIfAborted(signal);
            const r = await send(entry, b);
            ok += r.ok;
            failed += r.failed;
          }
        };
        for (const item of pointJson(chunk.metric, chunk.series, opts.start, opts.end)) {
          points++;
          await flushAll(batcher.add(item));
        }
        await flushAll(batcher.flush());
        result.points += points;
        progress({ type: 'written', metric: chunk.metric, points: ok, failed });
      }),
    ),
  );
  result.durationMs = (deps.now ?? (() => new Date()))().getTime() - started;
  return result;
}
