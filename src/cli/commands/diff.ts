// tsdb-backup diff: the points added, removed or changed between two backups (each with its chain).

import { Command } from 'commander';
import { diffBackups } from '../../inspect/diff.js';
import { jsonObject } from '../json-lines.js';
import type { CliIo } from '../cli-io.js';
import { comparisonExitCode } from '../exit-codes.js';
import { guardedRun } from '../guarded-run.js';
import { backupIdArgument } from '../option-parsers.js';
import { addRepositoryOptions, openRepositoryStorage, repositoryPassword } from '../repository-options.js';
import { addComparisonOptions, comparisonRange, type ComparisonOptionValues } from '../comparison-options.js';
import { createProgressRenderer } from '../progress-renderer.js';
import { differenceLine } from './difference-lines.js';

export function diffCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('diff')
    .description(
      'the metrics, series and points added, removed or changed from one backup to another, each read with its chain as a restore would write it (exit 16 when they differ)',
    )
    .argument('<backup-id-1>', 'the earlier backup', backupIdArgument)
    .argument('<backup-id-2>', 'the later backup', backupIdArgument)
    .option('--json', 'print JSON lines on stdout: "metric" and "difference" objects, then the summary');
  addComparisonOptions(cmd);
  return addRepositoryOptions(cmd, { lock: true, noLock: true }).action(async (from: string, to: string, o: ComparisonOptionValues) => {
    const { start = Number.MIN_SAFE_INTEGER, end = Number.MAX_SAFE_INTEGER } = comparisonRange(o, io);
    const storage = openRepositoryStorage(o, io);
    const renderer = createProgressRenderer(io, { json: Boolean(o.json), verb: 'diff' });
    const r = await guardedRun(
      io,
      storage,
      { command: 'diff', lock: 'shared', noLock: !o.lock, password: repositoryPassword(o, io), waitLock: o.waitLock, progress: renderer.report },
      ({ signal, repository }) =>
        diffBackups({ from, to, metrics: o.metric, range: { start, end }, examples: o.examples }, { repository, signal, progress: renderer.report }),
      () => ({ points: 0, bytes: 0 }),
    ).finally(() => renderer.stop());
    const sum = (f: (m: (typeof r.metrics)[number]) => number): number => r.metrics.reduce((n, m) => n + f(m), 0);
    const totals = {
      pointsAdded: sum((m) => m.pointsAdded),
      pointsRemoved: sum((m) => m.pointsRemoved),
      pointsChanged: sum((m) => m.pointsChanged),
      seriesAdded: sum((m) => m.seriesAdded),
      seriesRemoved: sum((m) => m.seriesRemoved),
    };
    if (o.json) {
      const out = (x: { type: string } & Record<string, unknown>): void => jsonObject(io, x);
      for (const m of r.metrics) out({ type: 'metric', ...m });
      for (const d of r.examples)
        out({
          type: 'difference',
          change: d.side === 'onlyLeft' ? 'removed' : d.side === 'onlyRight' ? 'added' : 'changed',
          metric: d.metric,
          tags: d.tags,
          timestamp: d.timestamp,
          ...(d.left ? { before: d.left } : {}),
          ...(d.right ? { after: d.right } : {}),
        });
      out({
        type: 'summary',
        command: 'diff',
        fromBackupId: r.from.backupId,
        toBackupId: r.to.backupId,
        fromChainIds: r.from.chain,
        toChainIds: r.to.chain,
        equal: r.equal,
        metricsAdded: r.metricsAdded,
        metricsRemoved: r.metricsRemoved,
        metricsChanged: r.metrics.length,
        ...totals,
      });
    } else {
      if (r.metrics.length > 0) {
        io.stdout('METRIC  SERIES+  SERIES-  POINTS+  POINTS-  CHANGED\n');
        for (const m of r.metrics) io.stdout(`${m.metric}  ${m.seriesAdded}  ${m.seriesRemoved}  ${m.pointsAdded}  ${m.pointsRemoved}  ${m.pointsChanged}\n`);
        io.stdout(`first ${r.examples.length} difference(s):\n`);
        for (const d of r.examples)
          io.stdout(differenceLine(d, d.side === 'onlyLeft' ? 'removed' : d.side === 'onlyRight' ? 'added' : 'changed', d.left, d.right));
      }
      for (const m of r.metricsAdded) io.stderr(`metric added: ${m}\n`);
      for (const m of r.metricsRemoved) io.stderr(`metric removed: ${m}\n`);
      io.stderr(
        r.equal
          ? `${r.from.backupId} and ${r.to.backupId} hold the same points\n`
          : `${r.from.backupId} -> ${r.to.backupId}: ${r.metrics.length} metric(s) differ: ${totals.pointsAdded} point(s) added, ${totals.pointsRemoved} removed, ${totals.pointsChanged} changed\n`,
      );
    }
    done(comparisonExitCode(r.equal));
  });
}
