// tsdb-backup failover / failback: switch the writers and readers to the standby, and back.

import { Command } from 'commander';
import { TsdbBackupError } from '../../errors.js';
import { selectMetrics } from '../../fetch/metric-selection.js';
import { DEFAULT_SIZING } from '../../fetch/window-sizer.js';
import { failback } from '../../replicate/failback.js';
import { failover, SwitchIncompleteError, type SwitchResult } from '../../replicate/failover.js';
import { CANARY_METRIC, replicationReadOptions } from '../../replicate/replication-defaults.js';
import { readState } from '../../replicate/replication-state.js';
import type { CliIo } from '../cli-io.js';
import { jsonSummary } from '../json-lines.js';
import { switchJson } from '../switch-json.js';
import { formatExact } from '../format-numbers.js';
import { duration, durationMs, positiveInt } from '../option-parsers.js';
import { createProgressRenderer } from '../progress-renderer.js';
import { addAuthFileOption } from '../tsd-auth.js';
import { addTsdOptions, makeTsdClient, type TsdOptionValues } from '../tsd-options.js';

interface SwitchCliOptions extends TsdOptionValues {
  from: string;
  to: string;
  state: string;
  compare: string;
  overlap: string;
  settle: string;
  hook?: string;
  hookTimeout: string;
  requireComplete?: boolean;
  concurrency: number;
  putConcurrency: number;
  gzip: boolean;
  json?: boolean;
  quiet?: boolean;
}

function describe(r: SwitchResult, io: CliIo): void {
  const verb = r.event === 'failover' ? 'final pass' : 'copy back';
  io.stderr(`${r.event} ${r.from} -> ${r.to}: ${verb} ${r.pass.ok ? `wrote ${formatExact(r.pass.pointsWritten)} points` : `incomplete: ${r.pass.error}`}\n`);
  for (const u of r.uncopied.slice(0, 20))
    io.stderr(`  not copied: ${u.metric} from ${new Date(u.from).toISOString()} to ${new Date(u.to).toISOString()}: ${u.error}\n`);
  if (r.uncopied.length > 20) io.stderr(`  ... and ${r.uncopied.length - 20} more metrics not copied\n`);
  if ('skipped' in r.comparison) io.stderr(`  comparison skipped: ${r.comparison.skipped}\n`);
  else {
    io.stderr(
      `  compared ${r.comparison.compared} metrics (${formatExact(r.comparison.points)} points on ${r.from}) from ${r.comparison.start} to ${r.comparison.end}: ${r.comparison.differences.length} differ\n`,
    );
    for (const d of r.comparison.differences.slice(0, 20))
      io.stderr(`  differs: ${d.metric}: ${formatExact(d.from)} points on ${r.from}, ${formatExact(d.to)} on ${r.to}\n`);
  }
  io.stderr(r.switched ? `  ${r.event} recorded at ${r.at}\n` : `  nothing switched\n`);
  if (r.hook) io.stderr(`  hook '${r.hook.command}' exited ${r.hook.exitCode}\n`);
  if (r.trailing)
    io.stderr(
      `  after the hook: ${r.trailing.ok ? `copied ${formatExact(r.trailing.pointsWritten)} more points written meanwhile` : `could not copy what was written meanwhile: ${r.trailing.error}`}\n`,
    );
}

function define(event: 'failover' | 'failback'): Command {
  const cmd = new Command(event);
  if (event === 'failover') {
    cmd
      .description(
        'switch to the standby: a final pass of what the primary can still serve, a comparison of recent points, the record of the failover, then --hook',
      )
      .requiredOption('--from <url>', 'the primary (replicate --source)')
      .requiredOption('--to <url>', 'the standby (replicate --target)');
  } else {
    cmd
      .description('come back to the old primary: copy what the standby received since the failover back to it, compare, record, then --hook')
      .requiredOption('--from <url>', 'the standby that served since the failover (replicate --target)')
      .requiredOption('--to <url>', 'the old primary, answering again (replicate --source)');
  }
  cmd
    .requiredOption('--state <file>', 'the replication state of the pair (replicate --state); the replicator must be stopped')
    .option(
      '--compare <duration>',
      event === 'failover' ? 'compare points per metric over this much recent time' : 'unused by failback, which compares the whole time since the failover',
      duration('--compare', { min: 1000 }),
      '1h',
    )
    .option('--overlap <duration>', 'read again this much before each checkpoint (as replicate --overlap)', duration('--overlap'), '2m')
    .option(
      '--settle <duration>',
      'points younger than this may still be arriving: left out of the comparison; after the hook, wait this long and copy once more',
      duration('--settle'),
      '10s',
    )
    .option(
      '--hook <command>',
      `run this (sh -c) after the ${event} is recorded: move the VIP, change DNS, reconfigure collectors (TSDB_BACKUP_EVENT=${event})`,
    )
    .option('--hook-timeout <duration>', 'kill the hook after this long', duration('--hook-timeout', { min: 1000 }), '5m')
    .option('--require-complete', 'switch only when everything was copied and the counts agree (exit 8 otherwise, nothing switched)')
    .option('--concurrency <n>', 'metrics copied and compared at once', positiveInt('--concurrency', 64), 4)
    .option('--put-concurrency <n>', 'put requests in flight at once', positiveInt('--put-concurrency', 256), 16)
    .option('--no-gzip', 'send uncompressed put bodies')
    .option('--json', 'print the result as one JSON summary line on stdout (docs/JSON.md)')
    .option('--quiet', 'print only the result and errors');
  // The primary's credentials are the source's, the standby's the target's, as for replicate.
  addAuthFileOption(cmd, 'source');
  addAuthFileOption(cmd, 'target');
  // A primary that is down must not hold a failover for minutes of retries.
  return addTsdOptions(cmd, { timeout: '20s', retries: 2 });
}

export function switchCommand(event: 'failover' | 'failback') {
  return (io: CliIo, done: (code: number) => void): Command =>
    define(event).action(async (o: SwitchCliOptions) => {
      const compareMs = durationMs('--compare', o.compare);
      const overlapMs = durationMs('--overlap', o.overlap);
      const hookTimeoutMs = durationMs('--hook-timeout', o.hookTimeout);
      const renderer = createProgressRenderer(io, { json: false, verb: event, quiet: o.quiet || o.json });
      const log = (line: string): void => io.stderr(`${io.now().toISOString()} ${event}: ${line}\n`);
      try {
        const fromRole = event === 'failover' ? 'source' : 'target';
        const from = makeTsdClient('--from', o.from, o, io, { auth: fromRole, progress: renderer.report });
        const to = makeTsdClient('--to', o.to, o, io, { auth: fromRole === 'source' ? 'target' : 'source', progress: renderer.report });
        const saved = await readState(o.state);
        const selection = selectMetrics(saved?.selection.metrics ?? [], [...(saved?.selection.exclude ?? []), CANARY_METRIC]);
        const opts = {
          stateFile: o.state,
          compareMs,
          overlapMs,
          settleMs: durationMs('--settle', o.settle),
          hook: o.hook,
          hookTimeoutMs,
          requireComplete: Boolean(o.requireComplete),
          concurrency: o.concurrency,
          putConcurrency: o.putConcurrency,
          gzip: o.gzip,
          read: replicationReadOptions(DEFAULT_SIZING),
        };
        const deps = { from, to, now: io.now, progress: renderer.report, log, signal: io.signal };
        let result: SwitchResult;
        try {
          result = event === 'failover' ? await failover(opts, deps, selection) : await failback(opts, deps, selection);
        } catch (err) {
          if (err instanceof SwitchIncompleteError) {
            const r = (err.details as { result: SwitchResult }).result;
            renderer.stop();
            if (o.json) jsonSummary(io, event, switchJson(r));
            else describe(r, io);
          }
          throw err;
        }
        renderer.stop();
        if (o.json) jsonSummary(io, event, switchJson(result));
        else describe(result, io);
        if (result.hook && result.hook.exitCode !== 0) {
          throw new TsdbBackupError('HOOK_FAILED', `the ${event} was recorded, but its hook '${result.hook.command}' exited ${result.hook.exitCode}`, {
            hint: 'run the hook by hand; the state already records the switch',
          });
        }
        done(0);
      } finally {
        renderer.stop();
      }
    });
}
