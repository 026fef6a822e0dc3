// Options shared by every command that talks to a TSD, and the client they configure.

import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { normalizeTsdUrl, TsdClient, type TsdLimits } from '../opentsdb/client.js';
import type { ProgressReporter } from '../progress.js';
import type { CliIo } from './cli-io.js';
import { DURATION_BOUNDS, duration, durationMs, header, positiveInt } from './option-parsers.js';
import { addTlsOptions, tlsFetchFor, type TlsOptionValues } from './tls-options.js';
import { credentialFor, type AuthOptionValues, type AuthRole } from './tsd-auth.js';

export interface TsdOptionValues extends TlsOptionValues, AuthOptionValues {
  timeout: string;
  retries: number;
  header?: Record<string, string>;
  compressedResponses?: boolean;
}

export function addTsdOptions(cmd: Command, defaults: { timeout: string; retries: number } = { timeout: '2m', retries: 5 }): Command {
  cmd
    .option(
      '--timeout <duration>',
      'per-request timeout for the TSD (e.g. 30s, 5m; at most 24d)',
      duration('--timeout', DURATION_BOUNDS.timeout),
      defaults.timeout,
    )
    .option('--retries <n>', 'attempts per TSD request on retryable failures (5xx, 424, timeouts, resets)', positiveInt('--retries', 100), defaults.retries)
    .option('--header <header>', "extra HTTP header for the TSD, e.g. 'X-Scope: ops' (repeatable; for credentials prefer the auth files)", header)
    .option(
      '--compressed-responses',
      'ask the TSD to gzip its answers: for a slow link to the TSD (by default they come uncompressed, which costs the TSD and this tool far less CPU)',
    );
  return addTlsOptions(cmd);
}

export interface TsdClientRole {
  /** Whose credentials (--source-auth-file / $TSDB_SOURCE_AUTH, ...) the client sends. */
  auth: AuthRole;
  progress?: ProgressReporter;
  /** Replaces the command's --timeout and --retries (e.g. a quick check that must not retry). */
  timeoutMs?: number;
  attempts?: number;
  /** --limit-points and --limit-bytes (limit-options.ts makes them). */
  limits?: TsdLimits;
}

/** `flag` names the option the URL came from (--source, --target) in the message of a bad URL. */
export function makeTsdClient(flag: string, url: string, values: TsdOptionValues, io: CliIo, role: TsdClientRole): TsdClient {
  const timeoutMs = role.timeoutMs ?? durationMs('--timeout', values.timeout, DURATION_BOUNDS.timeout);
  const attempts = role.attempts ?? values.retries;
  try {
    const credential = credentialFor(role.auth, values, io);
    if (credential && (normalizeTsdUrl(url).headers.authorization || values.header?.authorization)) {
      io.stderr(`warning: ${flag}: the credentials of ${credential.origin} replace those in the URL or --header\n`);
    }
    const progress = role.progress;
    const tlsFetch = tlsFetchFor(values, io);
    return new TsdClient({
      url,
      fetch: io.fetch ?? tlsFetch,
      timeoutMs,
      headers: values.header,
      authorization: credential?.header,
      compressedResponses: Boolean(values.compressedResponses),
      limits: role.limits,
      retry: attempts <= 1 ? { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } : { attempts, baseDelayMs: 500, maxDelayMs: 15_000 },
      onRetry: (err, attempt, delay) => progress?.({ type: 'retry', message: `${(err as Error).message}; attempt ${attempt + 1} in ${delay} ms` }),
    });
  } catch (err) {
    if (err instanceof UsageError && !err.message.startsWith('--')) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  }
}
