// Runs the CLI in this process with captured output, as the tests' operator.

import { runCli } from '../../src/cli/run-cli.js';
import type { CliIo } from '../../src/cli/cli-io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON Lines (docs/JSON.md): every line must be one object. */
  json: Array<Record<string, unknown>>;
}

export interface CliRunOptions {
  cwd?: string;
  signal?: AbortSignal;
  now?: () => Date;
  sleep?: CliIo['sleep'];
  /** The environment the command sees (default: none), e.g. TSDB_BACKUP_PASSWORD. */
  env?: Record<string, string | undefined>;
  /** A terminal that answers password prompts with these, in order (default: no terminal). */
  typed?: string[];
  /**
   * A reader of the data a command writes with backpressure (export): called before the text is recorded,
   * it may wait (a slow reader) or reject with OutputClosedError (a reader that went away).
   */
  reader?: (text: string) => Promise<void>;
}

export async function cli(args: string[], opts: CliRunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    writeStdout: async (t) => {
      await opts.reader?.(t);
      stdout += t;
    },
    stderr: (t) => (stderr += t),
    isTTY: false,
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? {},
    ...(opts.typed ? { readPassword: async () => opts.typed!.shift() ?? '' } : {}),
    now: opts.now ?? (() => new Date()),
    signal: opts.signal,
    sleep: opts.sleep,
  };
  const code = await runCli(args, io);
  const json: Array<Record<string, unknown>> = [];
  const trimmed = stdout.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    for (const line of trimmed.split('\n')) json.push(JSON.parse(line) as Record<string, unknown>);
  }
  return { code, stdout, stderr, json };
}
