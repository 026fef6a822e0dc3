// tsdb-backup verify: prove the repository can be restored: checksums, decoding, manifest consistency.

import { Command } from 'commander';
import { TsdbBackupError } from '../../errors.js';
import { guardedRun } from '../guarded-run.js';
import { verify } from '../../verify/verify.js';
import type { CliIo } from '../cli-io.js';
import { addRepositoryOptions, openRepositoryStorage, repositoryPassword, type RepositoryOptionValues } from '../repository-options.js';
import { formatBytes, formatExact } from '../format-numbers.js';
import { jsonLine, jsonSummary } from '../json-lines.js';
import { backupIdArgument, positiveInt } from '../option-parsers.js';
import { createProgressRenderer } from '../progress-renderer.js';

export function verifyCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('verify')
    .description('recompute every checksum, decode every chunk and check the manifest (default: the newest backup)')
    .argument('[backup-id]', 'the backup to verify', backupIdArgument)
    .option('--all', 'verify every backup in the repository')
    .option('--source <name|url>', 'without a backup id: verify the newest backup of this source (needed when the repository holds several)')
    .option('--concurrency <n>', 'chunks checked at once', positiveInt('--concurrency', 64), 4)
    .option('--json', 'print JSON lines on stdout: progress, one per problem, then a summary (docs/JSON.md)')
    .option('--quiet', 'print nothing on success (for cron); problems and errors still go to stderr');
  return addRepositoryOptions(cmd, { lock: true, noLock: true }).action(
    async (
      backupId: string | undefined,
      o: RepositoryOptionValues & { all?: boolean; source?: string; lock: boolean; concurrency: number; json?: boolean; quiet?: boolean },
    ) => {
      const renderer = createProgressRenderer(io, { json: Boolean(o.json), verb: 'verify', quiet: o.quiet });
      try {
        const storage = openRepositoryStorage(o, io);
        const r = await guardedRun(
          io,
          storage,
          { command: 'verify', lock: 'shared', noLock: !o.lock, password: repositoryPassword(o, io), waitLock: o.waitLock, progress: renderer.report },
          ({ signal, repository }) =>
            verify({ backupId, all: o.all, source: o.source, concurrency: o.concurrency }, { repository, progress: renderer.report, signal }),
          (x) => ({ points: x.points, bytes: x.bytes }),
        );
        renderer.stop();
        if (o.json) {
          for (const p of r.problems) {
            const scope = p.metric !== undefined ? { metric: p.metric, start: p.start, end: p.end } : {};
            jsonLine(io, 'problem', { backupId: p.backupId, where: p.where, ...scope, problem: p.problem, tampered: Boolean(p.tampered) });
          }
          jsonSummary(io, 'verify', {
            ok: r.problems.length === 0,
            backupIds: r.backups,
            chunks: r.chunks,
            points: r.points,
            bytes: r.bytes,
            objects: r.objects,
            problems: r.problems.length,
          });
        } else if (!o.quiet || r.problems.length > 0) {
          for (const p of r.problems) {
            const scope = p.metric !== undefined ? ` (metric ${p.metric}, ${new Date(p.start!).toISOString()} .. ${new Date(p.end!).toISOString()})` : '';
            io.stderr(`problem: backup ${p.backupId}: ${p.where}${scope}: ${p.problem}\n`);
          }
          io.stderr(
            `verified ${r.backups.length} backup(s): ${formatExact(r.chunks)} chunks, ${formatExact(r.points)} points, ${formatBytes(r.bytes)}: ` +
              `${r.problems.length === 0 ? 'no problems' : `${r.problems.length} problem(s)`}\n`,
          );
        }
        const tampered = r.problems.filter((p) => p.tampered).length;
        if (tampered > 0) {
          throw new TsdbBackupError(
            'TAMPERED',
            `verify found ${r.problems.length} problem(s) in ${storage}, ${tampered} of them encrypted objects that fail authentication (changed after they were written)`,
            {
              hint: 'do not trust this repository copy: find out who or what changed it; restore it from another copy, or take a new full backup',
            },
          );
        }
        if (r.problems.length > 0) {
          throw new TsdbBackupError('VERIFY_FAILED', `verify found ${r.problems.length} problem(s) in ${storage}`, {
            hint: 'a damaged backup cannot be restored completely; take a new full backup',
          });
        }
        done(0);
      } finally {
        renderer.stop();
      }
    },
  );
}
