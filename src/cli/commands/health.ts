// tsdb-backup health: is each TSD up, can it read, can it write? One check (exit 0/6/7, or the Nagios
// convention with --nagios), or --watch: a check every interval, transitions only, until SIGINT/SIGTERM.

import { Command } from 'commander';
import { hostname } from 'node:os';
import { UsageError } from '../../errors.js';
import { DEFAULT_CANARY_METRIC, METRIC_NAME } from '../../health/canary.js';
import { checkTsds, DEFAULT_SLOW_MS, DEFAULT_TIMEOUT_MS, type HealthOptions } from '../../health/check-tsd.js';
import type { TsdHealth } from '../../health/health-result.js';
import { watchHealth } from '../../health/watch.js';
import type { TsdClient } from '../../opentsdb/client.js';
import { writeHealthStatusFile } from '../../status/health-status-file.js';
import type { CliIo } from '../cli-io.js';
import { EXIT, healthExitCode } from '../exit-codes.js';
import { jsonSummary } from '../json-lines.js';
import { countVerdicts, healthJsonLine, renderHealthSummary, renderHealthText, renderTransitionText, transitionJsonLine } from '../health-output.js';
import { nagiosLine } from '../nagios.js';
import { collect, DURATION_BOUNDS, duration, durationMs, header } from '../option-parsers.js';
import { addTlsOptions, type TlsOptionValues } from '../tls-options.js';
import { addAuthFileOption, type AuthOptionValues } from '../tsd-auth.js';
import { makeTsdClient } from '../tsd-options.js';

interface HealthCliOptions extends TlsOptionValues, AuthOptionValues {
  tsd: string[];
  canaryMetric: string;
  readOnly?: boolean;
  slow: string;
  timeout: string;
  header?: Record<string, string>;
  json?: boolean;
  nagios?: boolean;
  statusFile?: string;
  watch?: string;
}

/**
 * One attempt per request: a health check reports what the TSD does now, quickly. A retry would
 * hide a flaky TSD and stretch the latency it measures; --watch checks again anyway.
 */
const HEALTH_ATTEMPTS = 1;

function clientsFor(o: HealthCliOptions, io: CliIo): TsdClient[] {
  const clients = o.tsd.map((url) => makeTsdClient('--tsd', url, { ...o, retries: HEALTH_ATTEMPTS }, io, { auth: 'tsd' }));
  const seen = new Set<string>();
  for (const c of clients) {
    if (seen.has(c.base)) throw new UsageError(`--tsd ${c.base} is given twice`);
    seen.add(c.base);
  }
  return clients;
}

function checkOptions(o: HealthCliOptions): HealthOptions {
  if (!METRIC_NAME.test(o.canaryMetric)) throw new UsageError(`--canary-metric: '${o.canaryMetric}' is not a metric name (letters, digits and - _ . /)`);
  if (o.nagios && (o.json || o.watch)) throw new UsageError('--nagios prints one line for one check: it goes with neither --json nor --watch');
  return { canaryMetric: o.canaryMetric, host: hostname(), readOnly: Boolean(o.readOnly), slowMs: durationMs('--slow', o.slow, DURATION_BOUNDS.slow) };
}

export function healthCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('health')
    .description('check that each TSD answers, reads and writes (a canary point written and read back); exit 0 healthy, 6 degraded, 7 down')
    .requiredOption('--tsd <url>', 'a TSD to check, e.g. http://tsd:4242 (repeatable; checked in parallel)', collect)
    .option('--canary-metric <name>', 'the metric the write check writes (tagged host=<this host>)', DEFAULT_CANARY_METRIC)
    .option('--read-only', 'skip the write check (and the creation of the canary metric): for a TSD in tsd.mode=ro, or a probe that must not write')
    .option('--slow <duration>', 'a step slower than this makes the TSD degraded', duration('--slow', DURATION_BOUNDS.slow), `${DEFAULT_SLOW_MS / 1000}s`)
    .option(
      '--timeout <duration>',
      'per-request timeout (no retries: a health check answers quickly)',
      duration('--timeout', DURATION_BOUNDS.timeout),
      `${DEFAULT_TIMEOUT_MS / 1000}s`,
    )
    .option('--header <header>', "extra HTTP header for the TSDs, e.g. 'Authorization: Bearer ...' (repeatable)", header)
    .option('--json', 'print one JSON object per TSD per line on stdout (with --watch: one per transition)')
    .option('--nagios', 'print one Nagios plugin line and exit 0 OK, 1 WARNING (degraded), 2 CRITICAL (down), 3 UNKNOWN (e.g. a usage error)')
    .option('--status-file <file>', 'write the results there after each check: Prometheus text format if it ends in .prom, else JSON')
    .option(
      '--watch <duration>',
      'check every duration until SIGINT/SIGTERM (exit 0), printing only changes of verdict',
      duration('--watch', DURATION_BOUNDS.watch),
    );
  addAuthFileOption(cmd, 'tsd');
  return addTlsOptions(cmd).action(async (o: HealthCliOptions) => {
    const opts = checkOptions(o);
    const watchMs = o.watch ? durationMs('--watch', o.watch, DURATION_BOUNDS.watch) : undefined;
    const clients = clientsFor(o, io);
    const check = (): Promise<TsdHealth[]> => checkTsds(clients, opts, { now: io.now, signal: io.signal });
    const record = async (results: TsdHealth[]): Promise<void> => {
      if (!o.statusFile) return;
      try {
        await writeHealthStatusFile(o.statusFile, results, io.now());
      } catch (err) {
        io.stderr(`warning: cannot write the status file ${o.statusFile}: ${(err as Error).message}\n`);
      }
    };

    if (watchMs !== undefined) {
      if (!o.json) io.stderr(`watching ${clients.length} TSD(s) every ${o.watch}; only changes are printed (stop with Ctrl-C or SIGTERM)\n`);
      const { rounds } = await watchHealth(watchMs, {
        now: io.now,
        sleep: io.sleep,
        signal: io.signal,
        check,
        onRound: record,
        onTransition: (t) => (o.json ? io.stdout(transitionJsonLine(t)) : io.stderr(renderTransitionText(t))),
      });
      if (o.json) jsonSummary(io, 'health', { rounds });
      else io.stderr(`stopped after ${rounds} check(s)\n`);
      done(EXIT.OK);
      return;
    }

    const results = await check();
    await record(results);
    if (o.nagios) {
      const n = nagiosLine(results, opts.slowMs);
      io.stdout(n.line);
      done(n.code);
      return;
    }
    if (o.json) {
      for (const r of results) io.stdout(healthJsonLine(r));
      jsonSummary(io, 'health', { tsds: results.length, ...countVerdicts(results) });
    } else io.stderr(`${results.map(renderHealthText).join('\n')}${renderHealthSummary(results)}`);
    done(healthExitCode(results.map((r) => r.verdict)));
  });
}
