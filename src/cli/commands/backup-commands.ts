// tsdb-backup full and tsdb-backup incremental: one definition, two entry points.

import { Command } from 'commander';
import { backup, preflightSource, type BackupResult } from '../../backup/backup.js';
import { planIncremental } from '../../backup/incremental-window.js';
import { TsdbBackupError, UsageError } from '../../errors.js';
import { SET_NAME, SOURCE_NAME } from '../../format/manifest.js';
import { isRelativeTime } from '../../time/parse-time.js';
import { alignDown, DEFAULT_SET_ALIGN, joinSet } from '../../backup/shard-terms.js';
import { describeIncomplete, type SetStatus } from '../../repository/backup-set.js';
import { describeShard, parseShard, type ShardSpec } from '../../shard/shard.js';
import { DEFAULT_ZSTD_LEVEL } from '../../format/zstd-level.js';
import { groupBySource, sourceLabel } from '../../repository/sources.js';
import type { CliIo } from '../cli-io.js';
import { formatBytes, formatDuration, formatExact, formatRate } from '../format-numbers.js';
import { metadataLine } from '../metadata-line.js';
import { jsonSummary } from '../json-lines.js';
import { guardedRun } from '../guarded-run.js';
import { assertOrdered, collect, DURATION_BOUNDS, duration, durationMs, positiveInt, timeMs } from '../option-parsers.js';
import { windowSizing } from '../window-options.js';
import { createProgressRenderer } from '../progress-renderer.js';
import { addRepositoryOptions, type RepositoryOptionValues, openRepositoryStorage, repositoryPassword } from '../repository-options.js';
import { addAuthFileOption } from '../tsd-auth.js';
import { unreadableCode } from '../../repository/errors.js';
import { addTsdOptions, makeTsdClient, type TsdOptionValues } from '../tsd-options.js';
import { addTsdLimitOptions, describeLimits, limitedTargetPoints, limitReports, tsdLimits, type TsdLimitValues } from '../limit-options.js';

interface BackupCliOptions extends TsdOptionValues, RepositoryOptionValues, TsdLimitValues {
  source: string;
  name?: string;
  allowEmpty?: boolean;
  /** commander's --no-uid-meta */
  uidMeta: boolean;
  metric?: string[];
  exclude?: string[];
  start?: string;
  end?: string;
  overlap: string;
  settle: string;
  fullIfMissing?: boolean;
  concurrency: number;
  maxResponseMb: number;
  targetPoints: number;
  minWindow: string;
  maxWindow: string;
  zstdLevel: number;
  json?: boolean;
  quiet?: boolean;
  resume?: boolean;
  shard?: ShardSpec;
  set?: string;
  align: string;
}

type Kind = 'full' | 'incremental';

function define(kind: Kind): Command {
  const cmd = new Command(kind);
  if (kind === 'full') {
    cmd
      .description('back up all (or the selected) metrics at raw resolution into the repository')
      .option('--start <time>', 'oldest data to include: 30d-ago, 2026-01-01, 2026/01/01-00:00:00, epoch s/ms', '1970-01-01T00:00:01Z')
      .option('--end <time>', 'newest data to include', 'now');
  } else {
    cmd
      .description('back up what arrived since the newest backup of this source, chained to it')
      .option('--overlap <duration>', 'read again this much before the parent ends, for late points', duration('--overlap', DURATION_BOUNDS.overlap), '1h')
      .option('--settle <duration>', 'leave out the most recent data, still arriving', duration('--settle', DURATION_BOUNDS.settle), '2m')
      .option('--full-if-missing', 'take a full backup when there is none to chain to');
  }
  cmd
    .requiredOption('--source <url>', 'the TSD to read, e.g. http://tsd:4242 (user:password@ for basic auth)')
    .option('--name <name>', "the source cluster's name in the repository (default: its URL); backups are chained, listed and pruned per source")
    .option('--metric <pattern>', "metric name or glob, e.g. 'sys.*' (repeatable; default: every metric, or the parent's selection)", collect)
    .option('--exclude <pattern>', 'leave out metrics matching this name or glob (repeatable)', collect)
    .option('--concurrency <n>', 'metrics backed up at once', positiveInt('--concurrency', 64), 4)
    .option('--max-response-mb <n>', 'largest TSD answer to accept before splitting the query', positiveInt('--max-response-mb', 1024), 48)
    .option('--target-points <n>', 'points each query aims for; windows adapt to reach it', positiveInt('--target-points'), 150_000)
    .option('--min-window <duration>', 'shortest time window before splitting by series instead', '1m')
    .option('--max-window <duration>', 'longest time window for a metric with no data seen yet', '7d')
    .option('--zstd-level <n>', 'zstd compression level (1-19)', positiveInt('--zstd-level', 19), DEFAULT_ZSTD_LEVEL)
    .option(
      '--shard <i/n>',
      'back up only shard i of n (0-based: $JOB_COMPLETION_INDEX/4): the metrics whose name hashes to i (docs/FORMAT.md); needs --set',
      (v: string) => parseShard('--shard', v),
    )
    .option(
      '--set <name>',
      'the backup set the n shards form, the same for all of them (e.g. the Kubernetes Job name): it becomes one backup when its last shard is done',
    )
    .option(
      '--align <duration>',
      'with --set: round "now" (the end of the set) down to a multiple of this, so that shards started apart agree on it',
      duration('--align', { min: 1000 }),
      DEFAULT_SET_ALIGN,
    )
    .option('--allow-empty', 'succeed even when the selection matches no metric (default: that is an error, usually a typo)')
    .option('--resume', 'require an interrupted run of this backup to resume (by default one is resumed when there is one)')
    .option('--no-resume', 'discard an interrupted run of this backup and start over')
    .option(
      '--no-uid-meta',
      'do not read the UID metadata of the names the series use (one request per distinct name: on a big cluster, let the full backups carry it and leave it out of frequent incrementals)',
    )
    .option('--json', 'print JSON lines on stdout: progress events, then a summary (docs/JSON.md)')
    .option('--quiet', 'print nothing on success (for cron); errors still go to stderr');
  addRepositoryOptions(cmd, { lock: true, status: true, uploads: true });
  addTsdLimitOptions(cmd, 'points read from the source');
  addAuthFileOption(cmd, 'source');
  return addTsdOptions(cmd);
}

function setSummary(o: BackupCliOptions, s: SetStatus) {
  return {
    name: s.name,
    shard: o.shard!.index,
    shards: s.shards,
    done: s.done,
    missing: s.missing,
    complete: s.backupId !== undefined,
    ...(s.backupId ? { backupId: s.backupId } : {}),
    ...(s.problem ? { problem: s.problem } : {}),
  };
}

function describeSet(o: BackupCliOptions, s: SetStatus): string {
  const head = `shard ${describeShard(o.shard!)} of backup set '${s.name}'`;
  if (s.backupId) return `${head}: the set is complete, backup ${s.backupId}`;
  return `${head} done; ${describeIncomplete(s).replace(/^backup set '[^']*' /, 'the set ')}`;
}

function report(io: CliIo, o: BackupCliOptions, r: BackupResult, repo: string, kind: Kind): void {
  const m = r.manifest;
  const limits = limitReports(o);
  if (o.json) {
    jsonSummary(io, kind, {
      ...(r.set ? { set: setSummary(o, r.set) } : {}),
      backupId: m.id,
      backupType: m.type,
      parentId: m.parent,
      repository: repo,
      source: m.source.name ?? m.source.url,
      start: m.range.start,
      end: m.range.end,
      ...m.totals,
      annotations: m.metadata?.annotations ?? 0,
      globalAnnotations: m.metadata?.globalAnnotations ?? 0,
      uidMeta: m.metadata?.uidMeta ?? 0,
      tsMeta: m.metadata?.tsMeta ?? 0,
      queries: r.queries,
      responseBytes: r.responseBytes,
      reusedChunks: r.reusedChunks,
      ...(r.resumed ? { resumed: r.resumed } : {}),
      startedAt: m.startedAt,
      finishedAt: m.finishedAt,
      durationMs: r.durationMs,
      ...(limits.length > 0 ? { limits } : {}),
    });
    return;
  }
  if (o.quiet) return;
  const span = `${new Date(m.range.start).toISOString()} .. ${new Date(m.range.end).toISOString()}`;
  io.stderr(
    `${m.type} backup ${r.set ? `shard ${describeShard(o.shard!)} of set '${r.set.name}'` : m.id} complete${m.parent ? ` (extends ${m.parent})` : ''}: ${span}, ${formatExact(m.totals.metrics)} metrics, ${formatExact(m.totals.series)} series, ` +
      `${formatExact(m.totals.points)} points in ${formatExact(m.totals.chunks)} chunks, ${formatBytes(m.totals.bytes)} ` +
      `(${(m.totals.bytes / Math.max(1, m.totals.points)).toFixed(2)} bytes/point), ${formatDuration(r.durationMs)}, ${formatRate(m.totals.points, r.durationMs)}\n`,
  );
  if (m.metadata) io.stderr(metadataLine('  with', m.metadata));
  if (r.resumed)
    io.stderr(
      `  resumed an interrupted run: ${formatExact(r.resumed.points)} of the points (${formatExact(r.resumed.chunks)} chunks) were stored by it, ${formatExact(r.resumed.metricsDone)} metrics complete\n`,
    );
  const limitLine = describeLimits(limits);
  if (limitLine) io.stderr(`${limitLine}\n`);
  if (r.set) {
    io.stderr(`${describeSet(o, r.set)}\n`);
    if (r.set.backupId) io.stdout(`${r.set.backupId}\n`);
    return;
  }
  io.stdout(`${m.id}\n`);
}

export function backupCommand(kind: Kind) {
  return (io: CliIo, done: (code: number) => void): Command =>
    define(kind).action(async (o: BackupCliOptions) => {
      const now = io.now().getTime();
      // Every value is checked before anything is read or written.
      const timing = kind === 'incremental' ? { overlapMs: durationMs('--overlap', o.overlap), settleMs: durationMs('--settle', o.settle) } : undefined;
      const requested = kind === 'full' ? { start: timeMs('--start', o.start ?? '', now), end: timeMs('--end', o.end ?? 'now', now) } : undefined;
      if (requested) assertOrdered(requested.start, requested.end);
      if (o.name !== undefined && !SOURCE_NAME.test(o.name)) {
        throw new UsageError(`--name: '${o.name}' is not a source name (letters, digits and . _ @ : -, starting with a letter or digit, at most 100)`);
      }
      if ((o.shard === undefined) !== (o.set === undefined))
        throw new UsageError('--shard and --set go together: --shard i/n --set <name>, the same --set for all n shards');
      if (o.set !== undefined && !SET_NAME.test(o.set)) {
        throw new UsageError(`--set: '${o.set}' is not a set name (letters, digits and . _ @ : -, starting with a letter or digit, at most 100)`);
      }
      const set = o.set !== undefined ? { name: o.set, shard: o.shard! } : undefined;
      const alignMs = durationMs('--align', o.align);
      // A set covers one range for all of its shards: times relative to now are rounded down; others are taken as given.
      const setEnd = (t: number): number => (set ? alignDown(t, alignMs) : t);
      if (requested && set) {
        if (isRelativeTime(o.start ?? '')) requested.start = setEnd(requested.start);
        if (isRelativeTime(o.end ?? 'now')) requested.end = setEnd(requested.end);
      }
      const sizing = windowSizing({ ...o, targetPoints: limitedTargetPoints(o.targetPoints, o) });
      const renderer = createProgressRenderer(io, { json: Boolean(o.json), verb: kind === 'full' ? 'backup' : 'incremental', quiet: o.quiet });
      try {
        const client = makeTsdClient('--source', o.source, o, io, { auth: 'source', progress: renderer.report, limits: tsdLimits(o, { points: true }) });
        const source = { url: client.toString(), ...(o.name ? { name: o.name } : {}) };
        const storage = openRepositoryStorage(o, io);
        let sourceVersion: string | undefined;
        // The source is checked before the lock is taken: a typo in --source leaves no lock behind.
        const preflight = async (): Promise<void> => {
          renderer.report({ type: 'phase', phase: 'preflight', detail: client.toString() });
          sourceVersion = await preflightSource(client, io.signal);
        };
        const common = {
          resume: o.resume === undefined ? ('auto' as const) : o.resume ? ('require' as const) : ('never' as const),
          concurrency: o.concurrency,
          maxResponseBytes: o.maxResponseMb * 1024 * 1024,
          zstdLevel: o.zstdLevel,
          sizing,
          sourceVersion,
          sourceName: o.name,
          allowEmpty: Boolean(o.allowEmpty),
          uidMeta: o.uidMeta,
          ...(set ? { set } : {}),
        };
        const result = await guardedRun(
          io,
          storage,
          // No backup creates a repository (`init` does): a mistyped --repo must not start a new one. The
          // shards of a set write at once (append lock); other backups keep the repository to themselves, so
          // that two runs of one backup never write the same run record.
          {
            command: kind,
            lock: set ? 'append' : 'exclusive',
            password: repositoryPassword(o, io),
            waitLock: o.waitLock,
            statusFile: o.statusFile,
            source: source.name ?? source.url,
            preflight,
            progress: renderer.report,
          },
          async ({ signal, lock, repository }) => {
            const deps = { client, repository, now: io.now, progress: renderer.report, signal, lock };
            const metrics = o.metric ?? [];
            const exclude = o.exclude ?? [];
            if (set) {
              const at = io.now().getTime();
              const ends = requested ? [requested.end] : [setEnd(at - timing!.settleMs), setEnd(at)];
              const joined = await joinSet(repository, set, kind, { fullIfMissing: o.fullIfMissing, signal, source, ends });
              if (joined.done) return joined.done;
              if (joined.terms) return backup({ ...common, sourceVersion, ...joined.terms }, deps);
            }
            if (kind === 'full') return backup({ ...common, sourceVersion, type: 'full', metrics, exclude, ...requested! }, deps);
            const { manifests, unreadable } = await repository.manifests({ signal });
            // An unreadable manifest may be this source's newest backup: chaining past it, or taking a
            // full instead (--full-if-missing), would look fine while the chain is broken.
            if (unreadable.length > 0) {
              throw new TsdbBackupError(
                unreadableCode(unreadable.map((u) => u.error)),
                `incremental refuses to choose a parent: ${unreadable.length} manifest(s) cannot be read (${unreadable.map((u) => u.id).join(', ')}): ${unreadable[0]!.error.message}`,
                {
                  hint: 'run `tsdb-backup verify --all`; move or repair the damaged manifest, or take a new full backup',
                },
              );
            }
            // Now, not when the command started: the lock may have been waited for.
            const plan = planIncremental(manifests, { source, now: io.now().getTime(), timing: timing!, metrics: o.metric, exclude: o.exclude });
            if (!plan) {
              if (!o.fullIfMissing) {
                const others = [...groupBySource(manifests).values()].map((g) => sourceLabel(g.at(-1)!.source));
                throw new TsdbBackupError('BACKUP_NOT_FOUND', `${repository} holds no backup of ${sourceLabel(source)} to chain an incremental to`, {
                  hint:
                    others.length > 0
                      ? `it holds backups of: ${others.join(', ')} (a source is matched by --name, else by URL); or pass --full-if-missing`
                      : 'take a full backup first, or pass --full-if-missing',
                });
              }
              renderer.report({ type: 'warning', message: `no backup of ${sourceLabel(source)} to chain to: taking a full backup (--full-if-missing)` });
              return backup(
                {
                  ...common,
                  sourceVersion,
                  type: 'full',
                  metrics,
                  exclude,
                  start: timeMs('--start', '1970-01-01T00:00:01Z', now),
                  end: setEnd(io.now().getTime()),
                },
                deps,
              );
            }
            const end = setEnd(plan.end);
            if (end < plan.start) {
              throw new TsdbBackupError(
                'BACKUP_FAILED',
                `nothing to back up yet: the window would be ${new Date(plan.start).toISOString()} .. ${new Date(end).toISOString()}`,
                {
                  hint: `the newest backup ends too recently; run again later or shorten --settle${set ? ' (or --align)' : ''}`,
                },
              );
            }
            return backup({ ...common, sourceVersion, type: 'incremental', ...plan, end }, deps);
          },
          (r) => ({ points: r.manifest.totals.points, bytes: r.manifest.totals.bytes, backupId: r.set?.backupId ?? r.manifest.id }),
        );
        renderer.stop();
        // This shard's record disagrees with its set's: it must run again (it then adopts the set's terms).
        if (result.set && set && result.set.odd.includes(set.shard.index)) {
          throw new TsdbBackupError('BACKUP_FAILED', `shard ${describeShard(set.shard)} of backup set '${set.name}' must run again: ${result.set.problem}`, {
            hint: 'run this shard again with the same --set and --shard',
          });
        }
        report(io, o, result, storage.toString(), kind);
        done(0);
      } finally {
        renderer.stop();
      }
    });
}
