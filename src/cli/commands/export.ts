// tsdb-backup export: a backup's points on stdout, as `tsdb import` text or /api/put JSON lines.

import { Command, Option } from 'commander';
import { DEFAULT_EXPORT_FORMAT, EXPORT_FORMATS, exportBackup, type ExportFormat } from '../../inspect/export.js';
import type { CliIo } from '../cli-io.js';
import { formatDuration, formatExact, formatRate } from '../format-numbers.js';
import { backupSelection } from '../backup-selection.js';
import { guardedRun } from '../guarded-run.js';
import { backupIdArgument, collect } from '../option-parsers.js';
import { createProgressRenderer } from '../progress-renderer.js';
import { addRepositoryOptions, openRepositoryStorage, repositoryPassword, type RepositoryOptionValues } from '../repository-options.js';

interface ExportCliOptions extends RepositoryOptionValues {
  at?: string;
  source?: string;
  metric?: string[];
  exclude?: string[];
  start?: string;
  end?: string;
  format: ExportFormat;
  allowEmpty?: boolean;
  quiet?: boolean;
  lock: boolean;
}

export function exportCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('export')
    .description(
      'write the points a restore of a backup (default: the newest) would write to stdout, so the data is never locked into this tool: ' +
        "`--format import` is OpenTSDB's `tsdb import` text (exact for integers; the importer stores every float as a 4-byte float), " +
        '`--format jsonl` is one /api/put object per line (exact: values as strings that keep integer or float). Progress and the summary go to stderr',
    )
    .argument('[backup-id]', 'the backup to export, with its chain (see `tsdb-backup list`)', backupIdArgument)
    .option('--at <time>', 'export the newest backup completed at or before this time')
    .option('--source <name|url>', 'without a backup id: export the newest backup of this source (needed when the repository holds several)')
    .addOption(
      new Option('--format <format>', 'import: `metric timestamp value tagk=tagv ...` lines for `tsdb import`; jsonl: /api/put objects')
        .choices(EXPORT_FORMATS)
        .default(DEFAULT_EXPORT_FORMAT),
    )
    .option('--metric <pattern>', 'export only these metrics: name or glob (repeatable)', collect)
    .option('--exclude <pattern>', 'leave out metrics matching this name or glob (repeatable)', collect)
    .option('--start <time>', 'export only points at or after this time')
    .option('--end <time>', 'export only points at or before this time')
    .option('--allow-empty', 'succeed even when the selection holds no point (default: that is an error, usually a typo)')
    .option('--quiet', 'print nothing on stderr on success');
  addRepositoryOptions(cmd, { lock: true, noLock: true });
  return cmd.action(async (backupId: string | undefined, o: ExportCliOptions) => {
    const { at, start, end } = backupSelection(backupId, o, io);
    const renderer = createProgressRenderer(io, { json: false, verb: 'export', quiet: o.quiet });
    try {
      const storage = openRepositoryStorage(o, io);
      const r = await guardedRun(
        io,
        storage,
        { command: 'export', lock: 'shared', noLock: !o.lock, password: repositoryPassword(o, io), waitLock: o.waitLock, progress: renderer.report },
        ({ signal, repository }) =>
          exportBackup(
            { backupId, at, source: o.source, metrics: o.metric ?? [], exclude: o.exclude, start, end, format: o.format, allowEmpty: Boolean(o.allowEmpty) },
            { repository, write: io.writeStdout, progress: renderer.report, signal, now: io.now },
          ),
        (x) => ({ points: x.points, bytes: 0, backupId: x.backupId }),
      );
      renderer.stop();
      if (!o.quiet) {
        io.stderr(
          `exported backup ${r.backupId} (chain ${r.chain.join(' -> ')}) as ${r.format}: ${formatExact(r.points)} points of ${formatExact(r.series)} series and ${formatExact(r.metrics)} metrics ` +
            `from ${formatExact(r.chunks)} chunks, ${formatDuration(r.durationMs)}, ${formatRate(r.points, r.durationMs)}\n`,
        );
      }
      done(0);
    } finally {
      renderer.stop();
    }
  });
}
