// tsdb-backup list: the complete backups in a repository.

import { Command } from 'commander';
import { listBackups } from '../../list/list-backups.js';
import { TsdbBackupError } from '../../errors.js';
import { Repository } from '../../repository/repository.js';
import type { CliIo } from '../cli-io.js';
import { addRepositoryOptions, openRepositoryStorage, repositoryPassword, type RepositoryOptionValues } from '../repository-options.js';
import { formatBytes, formatExact } from '../format-numbers.js';
import { jsonLine, jsonSummary } from '../json-lines.js';

function row(cells: string[], widths: number[]): string {
  return cells
    .map((c, i) => c.padEnd(widths[i]!))
    .join('  ')
    .trimEnd();
}

export function listCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('list')
    .description('list the complete backups in the repository, grouped into chains, oldest first')
    .option('--source <name|url>', 'list only the backups of this source')
    .option('--json', 'print JSON lines on stdout: one per backup, then a summary (docs/JSON.md)');
  return addRepositoryOptions(cmd).action(async (o: RepositoryOptionValues & { json?: boolean; source?: string }) => {
    const repository = await Repository.open(openRepositoryStorage(o, io), { signal: io.signal, password: repositoryPassword(o, io) });
    const r = await listBackups({ repository, signal: io.signal }, { source: o.source });
    if (o.json) {
      for (const b of r.backups) {
        jsonLine(io, 'backup', {
          backupId: b.id,
          backupType: b.type,
          parentId: b.parent,
          source: b.source,
          sourceUrl: b.sourceUrl,
          start: Date.parse(b.range.start),
          end: Date.parse(b.range.end),
          metrics: b.metrics,
          series: b.series,
          points: b.points,
          chunks: b.chunks,
          bytes: b.bytes,
          addedBytes: b.addedBytes,
          ...(b.firstTimestamp !== undefined ? { firstTimestamp: b.firstTimestamp, lastTimestamp: b.lastTimestamp } : {}),
          startedAt: b.startedAt,
          finishedAt: b.finishedAt,
          broken: r.orphans.includes(b.id),
          ...(b.set ? { set: b.set } : {}),
        });
      }
      for (const x of r.incompleteSets) jsonLine(io, 'incompleteSet', { ...x });
      jsonSummary(io, 'list', {
        repository: r.repository,
        backups: r.backups.length,
        chains: r.chains.map((c) => ({ fullId: c.full, backupIds: c.backups, points: c.points, bytes: c.bytes })),
        orphanIds: r.orphans,
        incompleteSets: r.incompleteSets.length,
        unreadable: r.unreadable.map((u) => ({ backupId: u.id, error: u.error, tampered: u.tampered })),
      });
    } else {
      // FROM and TO are the first and last point held, not the requested range (1970 for a full backup without --start).
      const header = ['ID', 'TYPE', 'SOURCE', 'FROM', 'TO', 'METRICS', 'SERIES', 'POINTS', 'SIZE', 'ADDED', 'FINISHED'];
      const byId = new Map(r.backups.map((b) => [b.id, b]));
      const ordered = [...r.chains.flatMap((c) => c.backups), ...r.orphans].map((id) => byId.get(id)!);
      const lines = ordered.map((b) => [
        b.type === 'full' ? b.id : `  ${b.id}`,
        `${r.orphans.includes(b.id) ? 'incr(broken)' : b.type === 'full' ? 'full' : 'incr'}${b.set ? ` set '${b.set.name}' (${b.set.shards} shards)` : ''}`,
        b.source,
        b.firstTimestamp !== undefined ? new Date(b.firstTimestamp).toISOString() : '-',
        b.lastTimestamp !== undefined ? new Date(b.lastTimestamp).toISOString() : '-',
        String(b.metrics),
        formatExact(b.series),
        formatExact(b.points),
        formatBytes(b.bytes),
        formatBytes(b.addedBytes),
        b.finishedAt,
      ]);
      const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
      io.stdout(`${[header, ...lines].map((l) => row(l, widths)).join('\n')}\n`);
      for (const x of r.incompleteSets) {
        const state = x.problem
          ? `not consistent: ${x.problem}`
          : `shard(s) ${x.missing.join(', ')} of ${x.shards} not done (done: ${x.done.join(', ') || 'none'})`;
        io.stdout(
          `incomplete set '${x.name}' (started ${x.startedAt}, ${formatExact(x.points)} points, ${formatBytes(x.bytes)} so far): ${state}; not restorable until its last shard is done\n`,
        );
      }
      if (r.backups.length === 0) io.stderr(`no complete backups in ${r.repository}\n`);
    }
    for (const u of r.unreadable) io.stderr(`problem: backup ${u.id} has an unreadable manifest: ${u.error}\n`);
    for (const id of r.orphans) io.stderr(`problem: backup ${id} extends a backup that is missing or unreadable: it cannot be restored\n`);
    // A listing that shows damage must not end like a clean one: scripts read the exit code.
    if (r.unreadable.length + r.orphans.length > 0) {
      throw new TsdbBackupError(
        r.unreadable.some((u) => u.tampered) ? 'TAMPERED' : 'VERIFY_FAILED',
        `${r.repository} is damaged: ${r.unreadable.length} unreadable manifest(s), ${r.orphans.length} backup(s) with a broken chain`,
        {
          hint: 'run `tsdb-backup verify --all` for the details; take a new full backup',
        },
      );
    }
    done(0);
  });
}
