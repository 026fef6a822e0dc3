// tsdb-backup show: what a backup holds, per metric, with its chain.

import { Command } from 'commander';
import { showBackup, type ShowResult } from '../../inspect/show.js';
import { jsonObject } from '../json-lines.js';
import type { CliIo } from '../cli-io.js';
import { backupIdArgument } from '../option-parsers.js';
import { addRepositoryOptions, openRepositoryStorage, repositoryPassword, type RepositoryOptionValues } from '../repository-options.js';
import { guardedRun } from '../guarded-run.js';
import { maxOf } from '../../numbers/extremes.js';

function iso(t: number | undefined): string {
  return t === undefined ? '-' : new Date(t).toISOString();
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => maxOf(rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function renderText(r: ShowResult): string {
  const lines = [
    `backup    ${r.backupId} (${r.backupType}${r.parentId ? `, extends ${r.parentId}` : ''})`,
    ...(r.set ? [`set       '${r.set.name}', merged from ${r.set.shards} shard(s)`] : []),
    `source    ${r.source.name ? `${r.source.name} (${r.source.url})` : r.source.url}, OpenTSDB ${r.source.version}`,
    `tool      ${r.tool.name} ${r.tool.version}`,
    `requested ${iso(r.range.start)} .. ${iso(r.range.end)}`,
    `data      ${iso(r.firstTimestamp)} .. ${iso(r.lastTimestamp)}`,
    `ran       ${r.startedAt} .. ${r.finishedAt}`,
    `chain     ${r.chain.length} backup(s), full first:`,
    ...r.chain.map((c) => `  ${c.backupId}  ${c.backupType.padEnd(11)}  ${iso(c.start)} .. ${iso(c.end)}  finished ${c.finishedAt}`),
    '',
    table([
      ['METRIC', 'SERIES', 'POINTS', 'FIRST', 'LAST', 'CHUNKS', 'BYTES', 'ADDED'],
      ...r.metrics.map((m) => [
        m.metric,
        String(m.series),
        String(m.points),
        iso(m.firstTimestamp),
        iso(m.lastTimestamp),
        String(m.chunks),
        String(m.bytes),
        String(m.addedBytes),
      ]),
      [
        'TOTAL',
        String(r.totals.series),
        String(r.totals.points),
        iso(r.firstTimestamp),
        iso(r.lastTimestamp),
        String(r.totals.chunks),
        String(r.totals.bytes),
        String(r.totals.addedBytes),
      ],
    ]),
  ];
  return `${lines.join('\n')}\n`;
}

export function showCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('show')
    .description('show a backup (default: the newest) and its chain: per metric the series, points, time range, bytes stored and bytes it added')
    .argument('[backup-id]', 'the backup to show', backupIdArgument)
    .option('--source <name|url>', 'without a backup id: show the newest backup of this source (needed when the repository holds several)')
    .option('--json', 'print JSON lines on stdout: one "chain" object per backup of the chain, one "metric" object per metric, then the summary');
  return addRepositoryOptions(cmd, { lock: true, noLock: true }).action(
    async (backupId: string | undefined, o: RepositoryOptionValues & { source?: string; json?: boolean; lock: boolean }) => {
      const storage = openRepositoryStorage(o, io);
      const r = await guardedRun(
        io,
        storage,
        { command: 'show', lock: 'shared', noLock: !o.lock, password: repositoryPassword(o, io), waitLock: o.waitLock, output: o },
        ({ signal, repository }) => showBackup({ backupId, source: o.source }, { repository, signal }),
        (x) => ({ points: x.totals.points, bytes: x.totals.bytes, backupId: x.backupId }),
      );
      if (!o.json) {
        io.stdout(renderText(r));
        return done(0);
      }
      const out = (x: { type: string } & Record<string, unknown>): void => jsonObject(io, x);
      for (const c of r.chain) out({ type: 'chain', ...c });
      for (const m of r.metrics) out({ type: 'metric', ...m });
      out({
        type: 'summary',
        command: 'show',
        backupId: r.backupId,
        backupType: r.backupType,
        parentId: r.parentId,
        source: r.source.name ?? r.source.url,
        sourceUrl: r.source.url,
        sourceVersion: r.source.version,
        toolVersion: r.tool.version,
        start: r.range.start,
        end: r.range.end,
        ...(r.firstTimestamp !== undefined ? { firstTimestamp: r.firstTimestamp, lastTimestamp: r.lastTimestamp } : {}),
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        chainIds: r.chain.map((c) => c.backupId),
        ...(r.set ? { set: r.set } : {}),
        ...r.totals,
      });
      done(0);
    },
  );
}
