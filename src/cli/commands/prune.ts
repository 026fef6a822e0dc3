// tsdb-backup prune: remove backups by restic-style keep rules, whole chains at a time, then the chunks
// nothing references any more.

import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { prune } from '../../prune/prune.js';
import type { CliIo } from '../cli-io.js';
import { formatBytes } from '../format-numbers.js';
import { jsonLine, jsonSummary } from '../json-lines.js';
import { guardedRun } from '../guarded-run.js';
import { DURATION_BOUNDS, duration, durationMs, positiveInt } from '../option-parsers.js';
import { addRepositoryOptions, type RepositoryOptionValues, openRepositoryStorage, repositoryPassword } from '../repository-options.js';

interface PruneCliOptions extends RepositoryOptionValues {
  keepLast?: number;
  keepHourly?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  keepYearly?: number;
  keepWithin?: string;
  timezone?: string;
  source?: string;
  dryRun?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export function pruneCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('prune')
    .description('remove backups the keep rules do not keep (chains as a whole), then unreferenced chunks')
    .option('--keep-last <n>', 'keep the n newest backups', positiveInt('--keep-last'))
    .option('--keep-hourly <n>', 'keep the newest backup of each of the last n hours that have one', positiveInt('--keep-hourly'))
    .option('--keep-daily <n>', 'keep the newest backup of each of the last n days that have one', positiveInt('--keep-daily'))
    .option('--keep-weekly <n>', 'keep the newest backup of each of the last n ISO weeks that have one', positiveInt('--keep-weekly'))
    .option('--keep-monthly <n>', 'keep the newest backup of each of the last n months that have one', positiveInt('--keep-monthly'))
    .option('--keep-yearly <n>', 'keep the newest backup of each of the last n years that have one', positiveInt('--keep-yearly'))
    .option(
      '--keep-within <duration>',
      'keep every backup within this duration of the newest one (e.g. 7d)',
      duration('--keep-within', DURATION_BOUNDS.keepWithin),
    )
    .option('--timezone <tz>', 'time zone for days, weeks, months (IANA name, e.g. Europe/Amsterdam)', 'UTC')
    .option('--source <name|url>', 'prune only the backups of this source (default: every source, the rules applied to each)')
    .option('--dry-run', 'print what would be removed and why, remove nothing')
    .option('--json', 'print JSON lines on stdout: one per backup decision, then a summary (docs/JSON.md)')
    .option('--quiet', 'print nothing on success (for cron); errors still go to stderr');
  addRepositoryOptions(cmd, { lock: true, status: true, uploads: true });
  return cmd.action(async (o: PruneCliOptions) => {
    const rules = {
      last: o.keepLast,
      hourly: o.keepHourly,
      daily: o.keepDaily,
      weekly: o.keepWeekly,
      monthly: o.keepMonthly,
      yearly: o.keepYearly,
      withinMs: o.keepWithin ? durationMs('--keep-within', o.keepWithin) : undefined,
    };
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: o.timezone });
    } catch {
      throw new UsageError(`--timezone: '${o.timezone}' is not a time zone`);
    }
    const storage = openRepositoryStorage(o, io);
    const r = await guardedRun(
      io,
      storage,
      { command: 'prune', lock: 'exclusive', password: repositoryPassword(o, io), waitLock: o.waitLock, statusFile: o.statusFile, output: o },
      async ({ signal, lock, repository }) => prune({ rules, timeZone: o.timezone, source: o.source, dryRun: Boolean(o.dryRun) }, { repository, signal, lock }),
      (x) => ({ points: 0, bytes: x.unreferencedBytes }),
    );
    if (o.json) {
      for (const d of r.decisions)
        jsonLine(io, 'decision', {
          backupId: d.id,
          backupType: d.type,
          chainId: d.chain,
          source: d.source,
          finishedAt: d.finishedAt,
          keep: d.keep,
          reasons: d.reasons,
        });
      jsonSummary(io, 'prune', {
        dryRun: r.dryRun,
        removedBackupIds: r.removedBackups,
        unreferencedChunks: r.unreferencedChunks,
        unreferencedBytes: r.unreferencedBytes,
        interrupted: r.interrupted,
        incompleteSets: r.incompleteSets,
        removedShardRecords: r.removedShardRecords,
      });
    } else if (!o.quiet) {
      for (const d of r.decisions) io.stdout(`${d.keep ? 'keep  ' : 'remove'}  ${d.id}  ${d.type.padEnd(11)}  ${d.source}  ${d.reasons.join('; ')}\n`);
      const verb = r.dryRun ? 'would remove' : 'removed';
      for (const i of r.interrupted) {
        if (i.keep)
          io.stdout(
            `keep    ${i.id}  interrupted  ${i.source}  its ${i.chunks} stored chunk(s), for the next ${i.type} backup of it to resume (--no-resume discards it)\n`,
          );
        else
          io.stdout(
            `remove  ${i.id}  interrupted  ${i.source}  it can no longer be resumed (the backup it extends is removed, or a later ${i.type} backup of the source completed)\n`,
          );
      }
      for (const name of r.incompleteSets) io.stdout(`keep    set '${name}'  incomplete: its missing shards may still run (\`tsdb-backup list\` shows them)\n`);
      io.stderr(`${verb} ${r.removedBackups.length} backup(s) and ${r.unreferencedChunks} unreferenced chunk(s), ${formatBytes(r.unreferencedBytes)}\n`);
    }
    done(0);
  });
}
