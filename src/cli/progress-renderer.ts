// Shows core progress events: an ora spinner on a terminal, a plain line every few seconds in logs
// (cron), or one JSON object per line on stdout with --json. Warnings and retries are always shown.

import ora, { type Ora } from 'ora';
import type { ProgressEvent, ProgressReporter } from '../progress.js';
import type { CliIo } from './cli-io.js';
import { formatBytes, formatCount, formatRate } from './format-numbers.js';

export interface ProgressRenderer {
  report: ProgressReporter;
  stop(): void;
}

export function createProgressRenderer(io: CliIo, opts: { json: boolean; verb: string; intervalMs?: number; quiet?: boolean }): ProgressRenderer {
  const started = io.now().getTime();
  const totals = { metrics: 0, metricsDone: 0, chunks: 0, chunksPlanned: 0, points: 0, pointsPlanned: 0, bytes: 0, failed: 0 };
  let spinner: Ora | undefined;
  let lastLine = 0;
  const interval = opts.intervalMs ?? 10_000;

  const status = (): string => {
    const elapsed = io.now().getTime() - started;
    const of = (n: number, total: number): string => (total > 0 ? `${formatCount(n)}/${formatCount(total)}` : formatCount(n));
    const parts = [
      `${opts.verb}: ${of(totals.metricsDone, totals.metrics)} metrics`,
      `${of(totals.chunks, totals.chunksPlanned)} chunks`,
      `${of(totals.points, totals.pointsPlanned)} points`,
      formatRate(totals.points, elapsed),
    ];
    if (totals.bytes > 0) parts.push(formatBytes(totals.bytes));
    if (totals.failed > 0) parts.push(`${formatCount(totals.failed)} failed`);
    return parts.join(', ');
  };

  const emitJson = (obj: Record<string, unknown>): void => io.stdout(`${JSON.stringify(obj)}\n`);

  const tick = (): void => {
    const now = io.now().getTime();
    if (opts.json) {
      if (now - lastLine >= interval) {
        lastLine = now;
        emitJson({ type: 'progress', ...totals, elapsedMs: now - started });
      }
    } else if (spinner) spinner.text = status();
    else if (!opts.quiet && now - lastLine >= interval) {
      lastLine = now;
      io.stderr(`${new Date(now).toISOString()} ${status()}\n`);
    }
  };

  const message = (kind: 'warning' | 'retry', text: string): void => {
    if (opts.json) emitJson({ type: kind === 'warning' ? 'warning' : 'retry', message: text });
    else if (spinner) spinner.warn(text).start(status());
    else io.stderr(`${kind}: ${text}\n`);
  };

  if (!opts.json && io.isTTY && !opts.quiet) {
    spinner = ora({ text: `${opts.verb}: starting`, stream: process.stderr, discardStdin: false }).start();
  }

  const report = (e: ProgressEvent): void => {
    switch (e.type) {
      case 'phase':
        if (!opts.json && !spinner && !opts.quiet) io.stderr(`${opts.verb}: ${e.phase}${e.detail ? ` ${e.detail}` : ''}\n`);
        break;
      case 'plan':
        totals.metrics = e.metrics;
        totals.chunksPlanned = e.chunks ?? 0;
        totals.pointsPlanned = e.points ?? 0;
        break;
      case 'chunk':
        totals.chunks++;
        totals.points += e.points;
        totals.bytes += e.bytes;
        break;
      case 'written':
        totals.chunks++;
        totals.points += e.points;
        totals.failed += e.failed;
        break;
      case 'metric-done':
        totals.metricsDone++;
        break;
      case 'retry':
      case 'warning':
        message(e.type, e.message);
        break;
    }
    tick();
  };

  return {
    report,
    stop: () => {
      spinner?.stop();
      spinner = undefined;
    },
  };
}
