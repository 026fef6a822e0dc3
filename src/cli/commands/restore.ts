// tsdb-backup restore: write a backup's points into a TSD.

import { homedir } from 'node:os';
import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { parseShard, type ShardSpec } from '../../shard/shard.js';
import { backupSelection } from '../backup-selection.js';
import { guardedRun } from '../guarded-run.js';
import { addRepositoryOptions, type RepositoryOptionValues, openRepositoryStorage, repositoryPassword } from '../repository-options.js';
import { restore } from '../../restore/restore.js';
import { defaultStateDir } from '../../restore/restore-journal.js';
import { RestoreDiffersError, RestoreIncompleteError } from '../../restore/restore-errors.js';
import { describeDifference, describeUnreadable } from '../../restore/restore-checks.js';
import { RestoreLostDataError } from '../../restore/damaged-chunks.js';
import { describeFilters } from '../../opentsdb/tag-filter.js';
import { parseRenameRule, parseShift, parseTagRule, type RenameRule, type TagRule } from '../../restore/point-transform.js';
import type { CliIo } from '../cli-io.js';
import { formatDuration, formatExact, formatRate } from '../format-numbers.js';
import { jsonLine, jsonSummary } from '../json-lines.js';
import { metadataLine, NO_METADATA } from '../metadata-line.js';
import { backupIdArgument, collect, positiveInt } from '../option-parsers.js';
import { createProgressRenderer } from '../progress-renderer.js';
import { addAuthFileOption } from '../tsd-auth.js';
import { addTsdOptions, makeTsdClient, type TsdOptionValues } from '../tsd-options.js';
import { addTsdLimitOptions, describeLimits, limitReports, tsdLimits, type TsdLimitValues } from '../limit-options.js';

interface RestoreCliOptions extends TsdOptionValues, RepositoryOptionValues, TsdLimitValues {
  at?: string;
  target?: string;
  metric?: string[];
  exclude?: string[];
  start?: string;
  end?: string;
  dryRun?: boolean;
  concurrency: number;
  putConcurrency?: number;
  gzip: boolean;
  source?: string;
  allowEmpty?: boolean;
  renameMetric?: RenameRule[];
  tagMap?: TagRule[];
  shift?: number;
  verify?: boolean;
  overwrite?: boolean;
  skipDamaged?: boolean;
  resume?: boolean;
  stateDir?: string;
  lock: boolean;
  shard?: ShardSpec;
  json?: boolean;
  quiet?: boolean;
}

export function restoreCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('restore')
    .description('restore a backup (default: the newest complete one) into a TSD')
    .argument('[backup-id]', "the backup to restore, with its chain (see `tsdb-backup list`), or a backup set's name", backupIdArgument)
    .option('--at <time>', 'restore the newest backup completed at or before this time')
    .option('--source <name|url>', 'without a backup id: restore the newest backup of this source (needed when the repository holds several)')
    .option('--target <url>', 'the TSD to write to, e.g. http://standby:4242 (required unless --dry-run)')
    .option('--metric <pattern>', 'restore only these metrics: name or glob (repeatable)', collect)
    .option('--exclude <pattern>', 'leave out metrics matching this name or glob (repeatable)', collect)
    .option('--start <time>', 'restore only points at or after this time')
    .option('--end <time>', 'restore only points at or before this time')
    .option('--dry-run', 'read and verify the chunks and report what would be written, without writing')
    .option('--concurrency <n>', 'chunks written at once', positiveInt('--concurrency', 64), 4)
    .option(
      '--put-concurrency <n>',
      'put requests in flight at once (each waits for the TSD to flush; default 64 into a target that accepts only small bodies, else 16)',
      positiveInt('--put-concurrency', 256),
    )
    .option('--no-gzip', 'send uncompressed put bodies (gzip packs more points under the target size limit)')
    .option(
      '--rename-metric <old=new>',
      "write metric OLD as NEW (repeatable; globs: 'sys.*=old.sys.*', each * in NEW takes what a * in OLD matched; the first matching rule wins)",
      (v: string, p: RenameRule[] = []) => [...p, parseRenameRule(v)],
    )
    .option(
      '--tag-map <key=newkey|key:value=newvalue>',
      'rename a tag key (host=node) or one value of a tag key (dc:ams1=ams-1) while writing (repeatable; value rules see the original keys)',
      (v: string, p: TagRule[] = []) => [...p, parseTagRule(v)],
    )
    .option('--shift <duration>', "move every timestamp by this duration, e.g. -7d or +1h (--start/--end still select the backup's own times)", parseShift)
    .option('--verify', 'after writing, read every restored point back from the target and compare it exactly with the backup (exit 17 when they differ)')
    .option(
      '--overwrite',
      'replace the values the target already holds at the points restored (only on a target with tsd.storage.fix_duplicates=true; default: refuse before writing, exit 18)',
    )
    .option(
      '--skip-damaged',
      'restore every intact chunk and list the metrics and times of damaged ones (exit 4, or 15 when tampered; default: stop at the first)',
    )
    .option(
      '--resume',
      'skip the chunks an interrupted run of the same restore (same backup, target, selection and transform) recorded as written in its journal, and write the rest',
    )
    .option('--state-dir <dir>', 'where restore journals are kept (default $XDG_STATE_HOME/tsdb-backup/restore, else ~/.local/state/tsdb-backup/restore)')
    .option(
      '--shard <i/n>',
      'restore only shard i of n (0-based, the same hash as `full --shard`): n restores in parallel write every metric once',
      (v: string) => parseShard('--shard', v),
    )
    .option('--allow-empty', 'succeed even when the selection holds no point (default: that is an error, usually a typo)')
    .option('--json', 'print JSON lines on stdout: progress events, then a summary (docs/JSON.md)')
    .option('--quiet', 'print nothing on success (for cron); errors still go to stderr');
  addRepositoryOptions(cmd, { lock: true, noLock: true });
  addTsdLimitOptions(cmd, 'points written to (and read back from, by the checks) the target');
  addAuthFileOption(cmd, 'target');
  addTsdOptions(cmd);
  return cmd.action(async (backupId: string | undefined, o: RestoreCliOptions) => {
    if (!o.target && !o.dryRun) throw new UsageError('restore needs --target <url> (or --dry-run)');
    if (o.resume && o.dryRun) throw new UsageError('--resume does not go with --dry-run: a dry run writes nothing, so there is nothing to resume');
    const { at, start, end } = backupSelection(backupId, o, io);
    const renderer = createProgressRenderer(io, { json: Boolean(o.json), verb: o.dryRun ? 'restore (dry run)' : 'restore', quiet: o.quiet });
    try {
      const client = o.target
        ? makeTsdClient('--target', o.target, o, io, { auth: 'target', progress: renderer.report, limits: tsdLimits(o, { points: true }) })
        : undefined;
      const storage = openRepositoryStorage(o, io);
      const r = await guardedRun(
        io,
        storage,
        { command: 'restore', lock: 'shared', noLock: !o.lock, password: repositoryPassword(o, io), waitLock: o.waitLock, progress: renderer.report },
        async ({ signal, repository }) =>
          restore(
            {
              backupId,
              at,
              source: o.source,
              metrics: o.metric ?? [],
              exclude: o.exclude,
              start,
              end,
              dryRun: Boolean(o.dryRun),
              allowEmpty: Boolean(o.allowEmpty),
              concurrency: o.concurrency,
              putConcurrency: o.putConcurrency,
              gzip: o.gzip,
              verify: Boolean(o.verify),
              overwrite: Boolean(o.overwrite),
              skipDamaged: Boolean(o.skipDamaged),
              shard: o.shard,
              transform: { renameMetric: o.renameMetric, tagMap: o.tagMap, shiftMs: o.shift },
              journal: { dir: o.stateDir ?? defaultStateDir(io.env, homedir()), resume: Boolean(o.resume) },
            },
            { repository, client, progress: renderer.report, signal, now: io.now },
          ),
        (x) => ({ points: x.written, bytes: 0 }),
      );
      renderer.stop();
      const limits = limitReports(o);
      if (o.json) {
        for (const f of r.failures) jsonLine(io, 'failure', f);
        jsonSummary(io, 'restore', {
          backupId: r.backupId,
          chainIds: r.chain,
          target: r.target,
          dryRun: r.dryRun,
          metrics: r.metrics,
          chunks: r.chunks,
          points: r.points,
          written: r.written,
          failed: r.failed,
          requests: r.requests,
          durationMs: r.durationMs,
          chunksWritten: r.chunksWritten,
          ...(r.journal !== undefined ? { journal: r.journal } : {}),
          ...(r.resumed ? { resumed: r.resumed } : {}),
          ...(r.verify ? { verify: r.verify } : {}),
          ...(r.lost ? { lost: r.lost } : {}),
          metadata: r.metadata ?? NO_METADATA,
          ...(limits.length > 0 ? { limits } : {}),
        });
      } else if (o.quiet && r.failed === 0) {
        // --quiet: a successful restore prints nothing (cron mails only failures)
      } else if (r.dryRun) {
        io.stderr(
          `dry run: backup ${r.backupId} (chain ${r.chain.join(' -> ')}) would write ${formatExact(r.points)} points of ${formatExact(r.metrics)} metrics from ${formatExact(r.chunks)} chunks (all chunks verified)\n`,
        );
        if (r.metadata) io.stderr(metadataLine('  and', r.metadata));
      } else {
        io.stderr(
          `restored backup ${r.backupId} (chain ${r.chain.join(' -> ')}) into ${r.target}: ${formatExact(r.written)} of ${formatExact(r.points)} points written, ${formatExact(r.failed)} failed, ` +
            `${formatExact(r.chunks)} chunks, ${formatExact(r.requests)} requests, ${formatDuration(r.durationMs)}, ${formatRate(r.written, r.durationMs)}\n`,
        );
        if (r.metadata) io.stderr(metadataLine('  wrote', r.metadata));
        const limitLine = describeLimits(limits);
        if (limitLine) io.stderr(`${limitLine}\n`);
        if (r.resumed) {
          io.stderr(
            `  resumed: ${formatExact(r.resumed.chunks)} chunks and part of ${formatExact(r.resumed.partialChunks)} more (${formatExact(r.resumed.points)} points) written by the run started at ${r.resumed.startedAt} were skipped; this run wrote ${formatExact(r.chunksWritten)} chunks\n`,
          );
        }
        if (r.journal) io.stderr(`  journal kept: ${r.journal} (restore --resume writes only the chunks not written yet)\n`);
        for (const f of r.failures) io.stderr(`  failed: ${f.metric} in ${f.chunk}: ${f.error} ${JSON.stringify(f.datapoint)}\n`);
        for (const l of r.lost ?? []) {
          io.stderr(
            `  lost: ${l.metric}${describeFilters(l.filters)} ${new Date(l.start).toISOString()}..${new Date(l.end).toISOString()} (${l.start}..${l.end}), ${l.series} series and ${l.points} points in damaged chunk ${l.chunk} of ${l.backupId}\n`,
          );
        }
        if (r.verify) {
          const v = r.verify;
          const differ = v.missing + v.changed + v.extra + v.unreadable.length;
          io.stderr(
            `verify: read back ${formatExact(v.points)} points of ${v.chunks} chunks: ${differ === 0 ? 'identical to the backup' : `${v.missing} missing, ${v.changed} with another value or kind, ${v.extra} not in the backup, ${v.unreadable.length} range(s) unreadable`}\n`,
          );
          for (const d of v.differences) io.stderr(`  differs: ${describeDifference(d)}\n`);
          for (const u of v.unreadable) io.stderr(`  unreadable: ${describeUnreadable(u)}\n`);
        }
      }
      if (r.lost && r.lost.length > 0) throw new RestoreLostDataError(r.lost);
      if (r.verify && r.failed === 0 && r.verify.missing + r.verify.changed + r.verify.extra + r.verify.unreadable.length > 0) {
        const v = r.verify;
        throw new RestoreDiffersError(
          `restore --verify: ${r.target} differs from backup ${r.backupId}: ${v.missing} point(s) missing, ${v.changed} changed, ${v.extra} not in the backup, ${v.unreadable.length} range(s) unreadable`,
          {
            verify: { missing: v.missing, changed: v.changed, extra: v.extra, differences: v.differences, unreadable: v.unreadable },
          },
        );
      }
      if (r.failed > 0) {
        throw new RestoreIncompleteError(
          `${r.failed} of ${r.points} points were rejected by ${r.target}`,
          'see the failures above; fix the target and run the same restore again with --resume: it writes only the chunks not completely written (rewriting points is harmless)',
        );
      }
      done(0);
    } finally {
      renderer.stop();
    }
  });
}
