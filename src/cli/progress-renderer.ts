// Shows core progress events: an ora spinner on a terminal, a plain line every few seconds in logs
// (cron), or one JSON object per line on stdout with --json (docs/JSON.md). Each shows the totals and
// a percentage where the plan knows them, an ETA, the metric and window being worked on and the rate
// over the last seconds. Warnings are always shown; retries and phases not with --quiet.

import type { Ora } from 'ora';
import type { ProgressEvent, ProgressReporter } from '../progress.js';
import type { CliIo } from './cli-io.js';
import { formatBytes, formatCount, formatDuration } from './format-numbers.js';
import { jsonLine } from './json-lines.js';
import { lockWaitReporter } from './lock-wait-line.js';
import { MovingRate } from './progress-rate.js';

export interface ProgressRenderer {
  report: ProgressReporter;
  stop(): void;
}

interface Totals {
  metrics: number;
  metricsDone: number;
  chunks: number;
  chunksPlanned: number;
  points: number;
  pointsPlanned: number;
  bytes: number;
  failed: number;
}

/** The share of the work done, from the most precise total the plan gave, or undefined. */
export function fractionDone(t: Totals): number | undefined {
  if (t.chunksPlanned > 0) return Math.min(1, t.chunks / t.chunksPlanned);
  if (t.pointsPlanned > 0) return Math.min(1, t.points / t.pointsPlanned);
  if (t.metrics > 0) return Math.min(1, t.metricsDone / t.metrics);
  return undefined;
}

export function createProgressRenderer(io: CliIo, opts: { json: boolean; verb: string; intervalMs?: number; quiet?: boolean }): ProgressRenderer {
  const started = io.now().getTime();
  const totals: Totals = { metrics: 0, metricsDone: 0, chunks: 0, chunksPlanned: 0, points: 0, pointsPlanned: 0, bytes: 0, failed: 0 };
  let plannedAt: number | undefined;
  let current: { metric: string; start?: number; end?: number } | undefined;
  const rate = new MovingRate();
  let spinner: Ora | undefined;
  let lastLine = 0;
  const interval = opts.intervalMs ?? 10_000;
  const quietText = opts.quiet && !opts.json;
  // A spinner on a terminal; ora is loaded only then (it costs start-up time every command would pay).
  // A terminal that reports no width (a pty nobody sized, as `script` makes) would make ora clear lines forever.
  let wantSpinner = !opts.json && io.isTTY && !opts.quiet && (process.stderr.columns ?? 0) > 0;
  /** A lock wait shown before ora was loaded: the spinner starts with it. */
  let pendingText: string | undefined;
  let stopped = false;

  const figures = (now: number) => {
    const fraction = fractionDone(totals);
    const sincePlan = plannedAt === undefined ? 0 : now - plannedAt;
    const etaMs = fraction !== undefined && fraction > 0 && fraction < 1 && sincePlan > 0 ? Math.round((sincePlan * (1 - fraction)) / fraction) : undefined;
    const perSecond = rate.perSecond();
    return { fraction, etaMs, pointsPerSecond: perSecond === undefined ? undefined : Math.round(perSecond) };
  };

  const status = (now: number): string => {
    const f = figures(now);
    const of = (n: number, total: number): string => (total > 0 ? `${formatCount(n)}/${formatCount(total)}` : formatCount(n));
    const parts = [
      `${opts.verb}: ${f.fraction !== undefined ? `${(f.fraction * 100).toFixed(1)}% ` : ''}${of(totals.metricsDone, totals.metrics)} metrics`,
      `${of(totals.chunks, totals.chunksPlanned)} chunks`,
      `${of(totals.points, totals.pointsPlanned)} points`,
      f.pointsPerSecond !== undefined ? `${formatCount(f.pointsPerSecond)} points/s` : '-',
    ];
    if (totals.bytes > 0) parts.push(formatBytes(totals.bytes));
    if (totals.failed > 0) parts.push(`${formatCount(totals.failed)} failed`);
    if (f.etaMs !== undefined) parts.push(`ETA ${formatDuration(f.etaMs)}`);
    if (current)
      parts.push(
        `at ${current.metric}${current.start !== undefined ? ` ${new Date(current.start).toISOString()} .. ${new Date(current.end!).toISOString()}` : ''}`,
      );
    return parts.join(', ');
  };

  const tick = (): void => {
    const now = io.now().getTime();
    rate.add(now, totals.points);
    if (opts.json) {
      if (now - lastLine >= interval) {
        lastLine = now;
        const f = figures(now);
        jsonLine(io, 'progress', {
          ...totals,
          ...(f.fraction !== undefined ? { percent: Math.round(f.fraction * 1000) / 10 } : {}),
          ...(f.etaMs !== undefined ? { etaMs: f.etaMs } : {}),
          ...(f.pointsPerSecond !== undefined ? { pointsPerSecond: f.pointsPerSecond } : {}),
          ...(current ? { metric: current.metric, ...(current.start !== undefined ? { start: current.start, end: current.end } : {}) } : {}),
          elapsedMs: now - started,
        });
      }
    } else if (spinner) spinner.text = status(now);
    else if (!quietText && !wantSpinner && now - lastLine >= interval) {
      lastLine = now;
      io.stderr(`${new Date(now).toISOString()} ${status(now)}\n`);
    }
  };

  const message = (kind: 'warning' | 'retry' | 'notice', text: string): void => {
    if (opts.json) jsonLine(io, kind, { message: text });
    else if (spinner) (kind === 'notice' ? spinner.info(text) : spinner.warn(text)).start(status(io.now().getTime()));
    else if (kind === 'warning' || !quietText) io.stderr(`${kind === 'notice' ? 'note' : kind}: ${text}\n`);
  };

  const lockWait = lockWaitReporter(io, {
    verb: opts.verb,
    json: opts.json,
    quiet: quietText,
    intervalMs: interval,
    show: (text) => {
      if (spinner) spinner.text = text;
      else if (wantSpinner) pendingText = text;
      return spinner !== undefined;
    },
  });

  if (wantSpinner) {
    void import('ora').then(
      ({ default: ora }) => {
        if (!stopped) spinner = ora({ text: pendingText ?? status(io.now().getTime()), stream: process.stderr, discardStdin: false }).start();
      },
      () => {
        wantSpinner = false; // no spinner then: log lines, as in a log file
      },
    );
  }

  const report = (e: ProgressEvent): void => {
    switch (e.type) {
      case 'phase':
        if (!opts.json && !wantSpinner && !quietText) io.stderr(`${opts.verb}: ${e.phase}${e.detail ? ` ${e.detail}` : ''}\n`);
        break;
      case 'plan':
        plannedAt = io.now().getTime();
        totals.metrics = e.metrics;
        totals.chunksPlanned = e.chunks ?? 0;
        totals.pointsPlanned = e.points ?? 0;
        break;
      case 'window':
        current = { metric: e.metric, start: e.start, end: e.end };
        break;
      case 'chunk':
        totals.chunks++;
        totals.points += e.points;
        totals.bytes += e.bytes;
        current = current?.metric === e.metric ? current : { metric: e.metric };
        break;
      case 'written':
        totals.chunks++;
        totals.points += e.points;
        totals.failed += e.failed;
        current = { metric: e.metric };
        break;
      case 'metric-done':
        totals.metricsDone++;
        break;
      case 'retry':
      case 'warning':
      case 'notice':
        message(e.type, e.message);
        break;
      case 'lock-wait':
        lockWait(e);
        return;
    }
    tick();
  };

  return {
    report,
    stop: () => {
      stopped = true;
      spinner?.stop();
      spinner = undefined;
    },
  };
}
