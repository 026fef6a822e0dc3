// The line a command shows while it waits for the repository's lock (--wait-lock), so that a waiting
// run does not look hung: for commands without a progress display (prune, key, show, diff, compare) a
// stderr line or a JSON progress object at most every interval; the progress renderer shows the same text.

import type { ProgressEvent } from '../progress.js';
import type { CliIo } from './cli-io.js';
import { formatDuration } from './format-numbers.js';
import { jsonLine } from './json-lines.js';

export type LockWaitEvent = Extract<ProgressEvent, { type: 'lock-wait' }>;

export function lockWaitText(verb: string, e: LockWaitEvent): string {
  return `${verb}: waiting for the repository's lock, held by ${e.holder} (${formatDuration(e.waitedMs)} of --wait-lock ${formatDuration(e.waitMs)})`;
}

/** Shows lock waits at most every `intervalMs`: `show(text)` when a spinner takes the text, else a stderr line or a JSON object. */
export function lockWaitReporter(
  io: CliIo,
  opts: { verb: string; json?: boolean; quiet?: boolean; intervalMs?: number; show?: (text: string) => boolean },
): (e: LockWaitEvent) => void {
  let shown = -Infinity;
  return (e) => {
    const now = io.now().getTime();
    if (now - shown < (opts.intervalMs ?? 10_000)) return;
    shown = now;
    if (opts.json) return jsonLine(io, 'progress', { phase: 'lock-wait', holder: e.holder, waitedMs: e.waitedMs, waitMs: e.waitMs });
    const text = lockWaitText(opts.verb, e);
    if (opts.show?.(text)) return;
    if (!opts.quiet) io.stderr(`${new Date(now).toISOString()} ${text}\n`);
  };
}
