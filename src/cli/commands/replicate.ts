// tsdb-backup replicate: keep a standby TSD current from a primary, in the foreground (stop with
// SIGTERM or Ctrl-C: exit 0) or one pass with --once (cron).

import { Command } from 'commander';
import { TsdbBackupError, UsageError } from '../../errors.js';
import { selectMetrics } from '../../fetch/metric-selection.js';
import { DEFAULT_SIZING } from '../../fetch/window-sizer.js';
import { replicate, type ReplicationEvent } from '../../replicate/replicate.js';
import { CANARY_METRIC, replicationReadOptions } from '../../replicate/replication-defaults.js';
import { primaryCheck } from '../../replicate/primary-check.js';
import { writeReplicationStatus, type ReplicationStatus } from '../../status/replication-status.js';
import type { CliIo } from '../cli-io.js';
import { jsonSummary } from '../json-lines.js';
import { replicationEventJson } from '../replication-json.js';
import { formatCount, formatDuration } from '../format-numbers.js';
import { collect, duration, durationMs, positiveInt, timeMs } from '../option-parsers.js';
import { createProgressRenderer } from '../progress-renderer.js';
import { windowSizing } from '../window-options.js';
import { addAuthFileOption } from '../tsd-auth.js';
import { addTsdOptions, makeTsdClient, type TsdOptionValues } from '../tsd-options.js';
import { addTsdLimitOptions, describeLimits, limitedTargetPoints, limitReports, tsdLimits, type TsdLimitValues } from '../limit-options.js';

interface ReplicateCliOptions extends TsdOptionValues, TsdLimitValues {
  source: string;
  target: string;
  state: string;
  start?: string;
  metric?: string[];
  exclude?: string[];
  interval: string;
  overlap: string;
  settle: string;
  once?: boolean;
  concurrency: number;
  putConcurrency: number;
  gzip: boolean;
  failAfter: number;
  checkEvery: string;
  onPrimaryDown?: string;
  failoverOnPrimaryDown?: boolean;
  failoverHook?: string;
  hookTimeout: string;
  statusFile?: string;
  targetPoints: number;
  minWindow: string;
  maxWindow: string;
  json?: boolean;
  quiet?: boolean;
}

function seconds(ms: number | undefined): number | null {
  return ms === undefined ? null : Math.round(ms / 1000);
}

export function replicateCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('replicate')
    .description('keep a standby TSD current: copy the primary from --start, then every --interval what arrived since (stop with SIGTERM: exit 0)')
    .requiredOption('--source <url>', 'the primary TSD to read, e.g. http://primary:4242')
    .requiredOption('--target <url>', 'the standby TSD to write, e.g. http://standby:4242')
    .requiredOption('--state <file>', 'the checkpoint file (created on the first run; one per source/target pair)')
    .option('--start <time>', "where replication begins on the first run (e.g. 30d-ago, 2026-01-01, the newest restored backup's end)")
    .option('--metric <pattern>', 'replicate only these metrics: name or glob (repeatable; default every metric)', collect)
    .option('--exclude <pattern>', `leave out metrics matching this (repeatable; ${CANARY_METRIC} is always left out)`, collect)
    .option('--interval <duration>', 'time between passes', duration('--interval', { min: 1000 }), '1m')
    .option('--overlap <duration>', 'read again this much before each checkpoint, for late points', duration('--overlap'), '2m')
    .option('--settle <duration>', 'leave out the most recent data, still arriving', duration('--settle'), '10s')
    .option('--once', 'one pass (catch up to now less --settle), then exit (for cron)')
    .option('--concurrency <n>', 'metrics copied at once', positiveInt('--concurrency', 64), 4)
    .option('--put-concurrency <n>', 'put requests in flight at once to the standby', positiveInt('--put-concurrency', 256), 16)
    .option('--no-gzip', 'send uncompressed put bodies')
    .option('--fail-after <n>', 'declare the primary down after this many failed checks in a row', positiveInt('--fail-after', 1000), 3)
    .option('--check-every <duration>', 'how often the loop checks the primary', duration('--check-every', { min: 1000 }), '10s')
    .option(
      '--on-primary-down <command>',
      'run this (sh -c) once when the primary is declared down: page, or move the writers to the standby (then stop the replicator and run `failover` to record it)',
    )
    .option(
      '--failover-on-primary-down',
      'fail over by itself once the primary is declared down: stop copying, record the failover in the state (as `tsdb-backup failover`), run --failover-hook, exit (0, or 8 listing what the primary could not give)',
    )
    .option(
      '--failover-hook <command>',
      'with --failover-on-primary-down: run this (sh -c, TSDB_BACKUP_EVENT=failover) after the failover is recorded: move the VIP, DNS, collectors',
    )
    .option('--hook-timeout <duration>', 'kill a hook after this long', duration('--hook-timeout', { min: 1000 }), '5m')
    .option(
      '--target-points <n>',
      'points each query of the primary aims for; windows adapt to reach it',
      positiveInt('--target-points'),
      DEFAULT_SIZING.targetPoints,
    )
    .option('--min-window <duration>', 'shortest time window before splitting by series instead', '1m')
    .option('--max-window <duration>', 'longest time window of a catch-up', '7d')
    .option('--status-file <file>', 'write lag, checkpoint and primary state here after every pass (.prom: Prometheus textfile, else JSON)')
    .option('--json', 'print JSON lines on stdout: one per pass and per event, then a summary (docs/JSON.md)')
    .option('--quiet', 'print nothing on success (for cron): only failed passes, primary down, hooks and errors');
  addTsdLimitOptions(cmd, 'points read from the primary');
  addAuthFileOption(cmd, 'source');
  addAuthFileOption(cmd, 'target');
  addTsdOptions(cmd);
  return cmd.action(async (o: ReplicateCliOptions) => {
    const now = io.now().getTime();
    const start = o.start ? timeMs('--start', o.start, now) : undefined;
    const intervalMs = durationMs('--interval', o.interval);
    const overlapMs = durationMs('--overlap', o.overlap);
    const settleMs = durationMs('--settle', o.settle);
    const checkEveryMs = durationMs('--check-every', o.checkEvery);
    const hookTimeoutMs = durationMs('--hook-timeout', o.hookTimeout);
    const sizing = { ...DEFAULT_SIZING, ...windowSizing({ ...o, targetPoints: limitedTargetPoints(o.targetPoints, o) }) };
    if (o.failoverHook && !o.failoverOnPrimaryDown) throw new UsageError('--failover-hook needs --failover-on-primary-down');
    if (o.failoverOnPrimaryDown && o.once)
      throw new UsageError('--failover-on-primary-down needs the loop (it watches the primary between passes), not --once');
    const exclude = o.exclude ?? [];
    const selection = selectMetrics(o.metric ?? [], [...exclude, CANARY_METRIC]);
    const renderer = createProgressRenderer(io, { json: false, verb: 'replicate', quiet: true });
    const log = (line: string): void => {
      if (!o.quiet || /hook|down|fail/.test(line)) io.stderr(`${io.now().toISOString()} replicate: ${line}\n`);
    };
    const source = makeTsdClient('--source', o.source, o, io, {
      auth: 'source',
      progress: renderer.report,
      limits: tsdLimits(o, { points: true, tsd: 'source' }),
    });
    // The standby is written what was read: --limit-points paces the reads; each TSD has its own --limit-bytes.
    const target = makeTsdClient('--target', o.target, o, io, {
      auth: 'target',
      progress: renderer.report,
      limits: tsdLimits(o, { points: false, tsd: 'target' }),
    });
    // Fault detection must answer fast and must not retry: a check that waits out retries is late.
    const checkClient = makeTsdClient('--source', o.source, o, io, {
      auth: 'source',
      timeoutMs: Math.min(5000, durationMs('--timeout', o.timeout)),
      attempts: 1,
    });
    const status: ReplicationStatus = {
      source: source.toString(),
      target: target.toString(),
      lagSeconds: null,
      checkpointSeconds: null,
      lastCycleSuccess: null,
      lastCycleSeconds: null,
      lastCycleDurationSeconds: null,
      lastError: null,
      failedMetrics: 0,
      pointsWrittenTotal: 0,
      cycles: 0,
      primaryUp: true,
      primaryDownEvents: 0,
      hookLastExitCode: null,
      updatedSeconds: Math.round(now / 1000),
    };
    const writeStatus = async (): Promise<void> => {
      if (!o.statusFile) return;
      status.updatedSeconds = Math.round(io.now().getTime() / 1000);
      await writeReplicationStatus(o.statusFile, status).catch((err: Error) =>
        io.stderr(`warning: cannot write the status file ${o.statusFile}: ${err.message}\n`),
      );
    };
    let statusWrites = Promise.resolve();
    const onEvent = (e: ReplicationEvent): void => {
      if (o.json) io.stdout(`${JSON.stringify(replicationEventJson(e, io.now().toISOString()))}\n`);
      switch (e.type) {
        case 'cycle':
          status.cycles++;
          status.lagSeconds = seconds(e.lagMs);
          status.checkpointSeconds = e.checkpoint === undefined ? null : Math.floor(e.checkpoint / 1000);
          status.lastCycleSuccess = e.failed.length === 0;
          status.lastCycleSeconds = Math.round(io.now().getTime() / 1000);
          status.lastCycleDurationSeconds = e.durationMs / 1000;
          status.failedMetrics = e.failed.length;
          status.pointsWrittenTotal += e.pointsWritten;
          status.lastError = e.failed[0]?.error ?? null;
          if (!o.json) {
            log(
              `copied ${formatCount(e.pointsWritten)} new points (${formatCount(e.pointsRead)} read) of ${e.metrics} metrics up to ${new Date(e.until).toISOString()} in ${formatDuration(e.durationMs)}; ` +
                `lag ${formatDuration(e.lagMs)}${e.failed.length > 0 ? `; ${e.failed.length} metric(s) failed and will be retried` : ''}`,
            );
          }
          break;
        case 'cycle-failed':
          status.lastCycleSuccess = false;
          status.lastError = e.error;
          status.lagSeconds = seconds(e.lagMs);
          if (!o.json)
            log(`pass failed: ${e.error}; retrying in ${formatDuration(e.retryInMs)}${e.lagMs !== undefined ? `; lag ${formatDuration(e.lagMs)}` : ''}`);
          break;
        case 'primary-check-failed':
          if (!o.json) log(`primary check failed (${e.consecutive}/${o.failAfter}): ${e.reason}`);
          break;
        case 'primary-down':
          status.primaryUp = false;
          status.primaryDownEvents++;
          if (!o.json)
            log(
              `PRIMARY DOWN since ${e.since} (${o.failAfter} failed checks): ${e.reason}${o.onPrimaryDown ? '; running the hook' : '; no --on-primary-down hook to run'}`,
            );
          break;
        case 'hook':
          status.hookLastExitCode = e.exitCode;
          if (!o.json) log(`hook for ${e.event} exited ${e.exitCode} after ${formatDuration(e.durationMs)}`);
          break;
        case 'primary-up':
          status.primaryUp = true;
          if (!o.json) log(`primary answers again after ${formatDuration(e.downForMs)}`);
          break;
        case 'progress':
          if (!o.json)
            log(
              `pass running: ${e.metricsDone}/${e.metrics} metrics, ${formatCount(e.pointsWritten)} points written so far${e.lagMs !== undefined ? `; lag ${formatDuration(e.lagMs)}` : ''}`,
            );
          if (e.lagMs !== undefined) status.lagSeconds = seconds(e.lagMs);
          break;
        case 'failover': {
          const r = e.result;
          if (!o.json) {
            log(
              `FAILED OVER to ${r.to} at ${r.at}${
                r.uncopied.length > 0
                  ? `; not copied from the primary: ${r.uncopied
                      .map((u) => `${u.metric} from ${new Date(u.from).toISOString()}`)
                      .slice(0, 10)
                      .join(', ')}${r.uncopied.length > 10 ? ', ...' : ''}`
                  : ''
              }`,
            );
            if (r.hook) log(`failover hook exited ${r.hook.exitCode}`);
          }
          if (r.hook) status.hookLastExitCode = r.hook.exitCode;
          break;
        }
        case 'stopped':
          if (!o.json) log(`stopped${e.lagMs !== undefined ? `; lag ${formatDuration(e.lagMs)}` : ''}`);
          break;
      }
      statusWrites = statusWrites.then(writeStatus);
    };
    try {
      const summary = await replicate(
        {
          stateFile: o.state,
          start,
          selection,
          selectionText: { metrics: o.metric ?? [], exclude },
          overlapMs,
          intervalMs,
          settleMs,
          once: Boolean(o.once),
          concurrency: o.concurrency,
          putConcurrency: o.putConcurrency,
          gzip: o.gzip,
          read: replicationReadOptions(sizing),
          primaryWatch: {
            check: primaryCheck(checkClient, { now: io.now, signal: io.signal }),
            everyMs: checkEveryMs,
            failAfter: o.failAfter,
            command: o.onPrimaryDown,
            timeoutMs: hookTimeoutMs,
          },
          ...(o.failoverOnPrimaryDown ? { autoFailover: { hook: o.failoverHook, hookTimeoutMs, compareMs: 3_600_000, settleMs } } : {}),
        },
        { source, target, now: io.now, progress: renderer.report, events: onEvent, log, signal: io.signal },
      );
      const limits = limitReports(o);
      const limitLine = describeLimits(limits);
      if (limitLine && !o.json) log(limitLine);
      if (o.json) {
        jsonSummary(io, 'replicate', {
          source: source.toString(),
          target: target.toString(),
          cycles: summary.cycles,
          pointsWritten: status.pointsWrittenTotal,
          failedMetrics: status.failedMetrics,
          failedOver: Boolean(summary.failover),
          stopped: Boolean(io.signal?.aborted),
          ...(limits.length > 0 ? { limits } : {}),
        });
      }
      const hook = summary.failover?.hook;
      if (hook && hook.exitCode !== 0) {
        throw new TsdbBackupError('HOOK_FAILED', `the failover was recorded, but its hook '${hook.command}' exited ${hook.exitCode}`, {
          hint: 'run the hook by hand; the state already records the failover',
        });
      }
    } catch (err) {
      status.lastCycleSuccess = false;
      status.lastError = (err as Error).message;
      statusWrites = statusWrites.then(writeStatus);
      throw err;
    } finally {
      renderer.stop();
      await statusWrites;
    }
    // A requested stop (SIGTERM, Ctrl-C) of the loop is a success: the checkpoint is saved. A --once
    // pass that was stopped did not catch up, which cron must see.
    done(o.once && io.signal?.aborted ? 130 : 0);
  });
}
