// tsdb-backup schedule: run full and incremental backups (and retention) on cron schedules in the
// foreground, one job at a time; or print the next run times to check the expressions.

import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { upcomingRuns, type JobKind } from '../../schedule/next-runs.js';
import { loadScheduleConfig, type ScheduleConfig } from '../../schedule/schedule-config.js';
import { runScheduler } from '../../schedule/scheduler.js';
import { formatInZone } from '../../time/format-in-zone.js';
import type { CliIo } from '../cli-io.js';
import { jsonLine, jsonSummary } from '../json-lines.js';

/** The config file's repository settings (s3, passwordFile, passwordCommand, limits) as the flags a job takes. */
function repositoryArgs(config: ScheduleConfig): string[] {
  const s3 = config.s3 ?? {};
  const args: Array<[string, string | number | boolean | undefined]> = [
    ['--s3-endpoint', s3.endpoint],
    ['--s3-region', s3.region],
    ['--s3-force-path-style', s3.forcePathStyle || undefined],
    ['--s3-sse', s3.sse],
    ['--s3-kms-key-id', s3.kmsKeyId],
    ['--s3-storage-class', s3.storageClass],
    ['--s3-part-size-mb', s3.partSizeMb],
    ['--s3-queue-size', s3.queueSize],
    ['--no-s3-content-md5', s3.contentMd5 === false || undefined],
    ['--password-file', config.passwordFile],
    ['--password-command', config.passwordCommand],
    ['--limit-upload', config.limits?.upload],
    ['--limit-download', config.limits?.download],
  ];
  return args.filter(([, v]) => v !== undefined).flatMap(([flag, v]) => (v === true ? [flag] : [flag, String(v)]));
}

/** The command line each job runs, so scheduled runs behave exactly like the same command from cron. */
export function jobArgs(config: ScheduleConfig, job: JobKind | 'prune'): string[] {
  const repo = ['--repo', config.repo, '--wait-lock', config.waitLock, ...repositoryArgs(config), ...config.repoArgs];
  if (job === 'prune') {
    const r = config.retention ?? {};
    const keep: Array<[string, string | number | undefined]> = [
      ['--keep-last', r.keepLast],
      ['--keep-hourly', r.keepHourly],
      ['--keep-daily', r.keepDaily],
      ['--keep-weekly', r.keepWeekly],
      ['--keep-monthly', r.keepMonthly],
      ['--keep-yearly', r.keepYearly],
      ['--keep-within', r.keepWithin],
    ];
    // A schedule is one cluster's: its prune leaves other sources' backups in a shared repository alone.
    const args = [
      'prune',
      ...repo,
      '--source',
      config.name ?? config.source,
      '--timezone',
      config.timezone,
      ...keep.filter(([, v]) => v !== undefined).flatMap(([k, v]) => [k, String(v)]),
    ];
    if (config.statusFile) args.push('--status-file', config.statusFile);
    return args;
  }
  const args = [job, '--source', config.source, ...(config.name ? ['--name', config.name] : []), ...repo, ...config.metrics.flatMap((m) => ['--metric', m])];
  if (config.statusFile) args.push('--status-file', config.statusFile);
  if (config.concurrency) args.push('--concurrency', String(config.concurrency));
  if (job === 'incremental') {
    args.push('--full-if-missing');
    if (config.incremental?.overlap) args.push('--overlap', config.incremental.overlap);
    if (config.incremental?.settle) args.push('--settle', config.incremental.settle);
  }
  return [...args, ...config.backupArgs];
}

export function scheduleCommand(io: CliIo, done: (code: number) => void, run: (argv: string[], io: CliIo) => Promise<number>): Command {
  return new Command('schedule')
    .description(
      'run backups on cron schedules in the foreground (stop with SIGTERM or Ctrl-C: exit 0; a running job is interrupted cleanly), or --print the next run times',
    )
    .requiredOption('--config <file>', 'schedule file (JSON): source, repo, timezone, full.cron, incremental.cron, retention, statusFile')
    .option('--print [n]', 'print the next n run times (default 10) and exit')
    .option('--json', "print JSON lines on stdout: with --print one per run time, else each job's own lines; then a summary (docs/JSON.md)")
    .action(async (o: { config: string; print?: string | boolean; json?: boolean }) => {
      const config = await loadScheduleConfig(o.config);
      if (o.print !== undefined) {
        const n = o.print === true ? 10 : Number(o.print);
        if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--print takes a count from 1 to 1000, not '${o.print}'`);
        const runs = upcomingRuns(config, io.now(), n);
        if (o.json) {
          for (const r of runs) jsonLine(io, 'run', { job: r.job, runAt: r.at.toISOString() });
          jsonSummary(io, 'schedule', { timezone: config.timezone, runs: runs.length });
        } else for (const r of runs) io.stdout(`${formatInZone(r.at, config.timezone)}  ${r.job}\n`);
        done(0);
        return;
      }
      const log = (line: string): void => io.stderr(`${io.now().toISOString()} schedule: ${line}\n`);
      const summary = await runScheduler(config, {
        now: io.now,
        signal: io.signal,
        sleep: io.sleep,
        log,
        // A job never stops at a password prompt: the schedule runs unattended.
        runJob: (job) => run([...jobArgs(config, job), ...(o.json ? ['--json'] : [])], { ...io, isTTY: false, readPassword: undefined }),
      });
      if (o.json)
        jsonSummary(io, 'schedule', { timezone: config.timezone, runs: summary.runs.map((r) => ({ job: r.job, startedAt: r.at, exitCode: r.exitCode })) });
      // A requested stop is how a foreground service ends (systemd, docker stop): exit 0. A job running at
      // that moment got the same signal and stopped cleanly (nothing incomplete looks complete); the log says so.
      done(0);
    });
}
