// Options shared by every command that talks to a TSD, and the client they configure.

import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { TsdClient } from '../opentsdb/client.js';
import type { ProgressReporter } from '../progress.js';
import type { CliIo } from './cli-io.js';
import { DURATION_BOUNDS, duration, durationMs, header, positiveInt } from './option-parsers.js';

export interface TsdOptionValues {
  timeout: string;
  retries: number;
  header?: Record<string, string>;
}

export function addTsdOptions(cmd: Command, defaults: { timeout: string; retries: number } = { timeout: '2m', retries: 5 }): Command {
  return cmd
    .option('--timeout <duration>', 'per-request timeout for the TSD (e.g. 30s, 5m; at most 24d)', duration('--timeout', DURATION_BOUNDS.timeout), defaults.timeout)
    .option('--retries <n>', 'attempts per TSD request on retryable failures (5xx, 424, timeouts, resets)', positiveInt('--retries', 100), defaults.retries)
    .option('--header <header>', "extra HTTP header for the TSD, e.g. 'Authorization: Bearer ...' (repeatable)", header);
}

/** `flag` names the option the URL came from (--source, --target) in the message of a bad URL. */
export function makeTsdClient(flag: string, url: string, values: TsdOptionValues, io: CliIo, progress?: ProgressReporter): TsdClient {
  const timeoutMs = durationMs('--timeout', values.timeout, DURATION_BOUNDS.timeout);
  try {
    return new TsdClient({
      url,
      fetch: io.fetch,
      timeoutMs,
      headers: values.header,
      retry: { attempts: values.retries, baseDelayMs: 500, maxDelayMs: 15_000 },
      onRetry: (err, attempt, delay) => progress?.({ type: 'retry', message: `${(err as Error).message}; attempt ${attempt + 1} in ${delay} ms` }),
    });
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  }
}
