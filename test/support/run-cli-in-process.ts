// Runs the CLI in this process with captured output, as the tests' operator.

import { runCli } from '../../src/cli/run-cli.js';
import type { CliIo } from '../../src/cli/cli-io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON lines. */
  json: Array<Record<string, unknown>>;
}

export async function cli(args: string[], opts: { cwd?: string; signal?: AbortSignal; now?: () => Date; sleep?: CliIo['sleep']; env?: CliIo['env'] } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: false,
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? {},
    now: opts.now ?? (() => new Date()),
    signal: opts.signal,
    sleep: opts.sleep,
  };
  const code = await runCli(args, io);
  const json: Array<Record<string, unknown>> = [];
  const trimmed = stdout.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      json.push(JSON.parse(trimmed) as Record<string, unknown>);
    } catch {
      for (const line of trimmed.split('\n')) if (line.trim()) json.push(JSON.parse(line) as Record<string, unknown>);
    }
  }
  return { code, stdout, stderr, json };
}
