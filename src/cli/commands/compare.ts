// tsdb-backup compare: a backup (with its chain) against the live cluster.

import { Command } from 'commander';
import { compareWithCluster } from '../../inspect/compare.js';
import { jsonObject } from '../json-lines.js';
import type { CliIo } from '../cli-io.js';
import { comparisonExitCode } from '../exit-codes.js';
import { guardedRun } from '../guarded-run.js';
import { backupIdArgument } from '../option-parsers.js';
import { addRepositoryOptions, openRepositoryStorage, repositoryPassword } from '../repository-options.js';
import { addComparisonOptions, comparisonRange, type ComparisonOptionValues } from '../comparison-options.js';
import { addAuthFileOption } from '../tsd-auth.js';
import { addTsdOptions, makeTsdClient, type TsdOptionValues } from '../tsd-options.js';
import { createProgressRenderer } from '../progress-renderer.js';
import { differenceLine } from './difference-lines.js';

interface CompareCliOptions extends ComparisonOptionValues, TsdOptionValues {
  source: string;
}

export function compareCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('compare')
    .description(
      'compare a backup (default: the newest of --source) and its chain with the live cluster: per metric and time window point counts and sums, then the exact points of the windows that differ (exit 16 when they differ)',
    )
    .argument('[backup-id]', 'the backup to compare, with its chain', backupIdArgument)
    .requiredOption('--source <url>', 'the TSD to compare with, e.g. http://tsd:4242; without a backup id, its newest backup is compared')
    .option('--json', 'print JSON lines on stdout: "metric", "window" and "difference" objects, then the summary');
  addComparisonOptions(cmd);
  addRepositoryOptions(cmd, { lock: true, noLock: true });
  addAuthFileOption(cmd, 'source');
  addTsdOptions(cmd);
  return cmd.action(async (backupId: string | undefined, o: CompareCliOptions) => {
    const { start, end } = comparisonRange(o, io);
    const client = makeTsdClient('--source', o.source, o, io, { auth: 'source' });
    const storage = openRepositoryStorage(o, io);
    const renderer = createProgressRenderer(io, { json: Boolean(o.json), verb: 'compare' });
    const r = await guardedRun(
      io,
      storage,
      { command: 'compare', lock: 'shared', noLock: !o.lock, password: repositoryPassword(o, io), waitLock: o.waitLock, progress: renderer.report },
      ({ signal, repository }) =>
        compareWithCluster(
          { backupId, source: backupId ? undefined : o.source, metrics: o.metric, start, end, examples: o.examples },
          { repository, client, signal, progress: renderer.report },
        ),
      (x) => ({ points: x.metrics.reduce((n, m) => n + m.backupPoints, 0), bytes: 0, backupId: x.backupId }),
    ).finally(() => renderer.stop());
    const sum = (f: (m: (typeof r.metrics)[number]) => number): number => r.metrics.reduce((n, m) => n + f(m), 0);
    const totals = {
      backupPoints: sum((m) => m.backupPoints),
      windows: sum((m) => m.windows),
      windowsRead: sum((m) => m.windowsRead),
      missingFromBackup: sum((m) => m.missingFromBackup),
      missingFromCluster: sum((m) => m.missingFromCluster),
      changed: sum((m) => m.changed),
    };
    if (o.json) {
      const out = (x: { type: string } & Record<string, unknown>): void => jsonObject(io, x);
      for (const m of r.metrics) out({ type: 'metric', ...m });
      for (const w of r.windows) out({ type: 'window', ...w });
      for (const d of r.examples) out({ type: 'difference', ...d });
      out({
        type: 'summary',
        command: 'compare',
        backupId: r.backupId,
        chainIds: r.chain,
        cluster: r.cluster,
        equal: r.equal,
        metrics: r.metrics.length,
        metricsMissingFromBackup: r.metricsMissingFromBackup,
        ...totals,
        ...(r.notComparedBefore !== undefined ? { notComparedBefore: r.notComparedBefore } : {}),
      });
    } else {
      for (const w of r.windows)
        io.stdout(
          `window ${w.metric} ${new Date(w.start).toISOString()} .. ${new Date(w.end).toISOString()}: backup ${w.backupPoints} point(s), cluster ${w.clusterPoints}\n`,
        );
      if (r.examples.length > 0) io.stdout(`first ${r.examples.length} difference(s) (backup -> cluster):\n`);
      for (const d of r.examples) io.stdout(differenceLine(d, d.difference, d.backup, d.cluster));
      for (const m of r.metrics.filter((x) => !x.inBackup))
        io.stderr(`metric not in the backup: ${m.metric}: ${m.missingFromBackup} point(s) in the times the backup covers\n`);
      if (r.notComparedBefore !== undefined)
        io.stderr(`note: times before ${new Date(r.notComparedBefore).toISOString()} are not compared (OpenTSDB cannot count points there)\n`);
      io.stderr(
        r.equal
          ? `backup ${r.backupId} matches ${r.cluster}: ${r.metrics.length} metric(s), ${totals.backupPoints} point(s), ${totals.windows} window(s)\n`
          : `backup ${r.backupId} differs from ${r.cluster}: ${totals.missingFromBackup} point(s) missing from the backup, ${totals.missingFromCluster} missing from the cluster, ${totals.changed} changed\n`,
      );
    }
    done(comparisonExitCode(r.equal));
  });
}
