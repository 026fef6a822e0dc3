// The CLI's contact with the world, injected so that tests run commands in-process.

import { promptPassword } from './password-prompt.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is an interactive terminal (spinner) or a log (cron). */
  isTTY: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  now: () => Date;
  signal?: AbortSignal;
  /** Lets tests replace fetch. */
  fetch?: typeof globalThis.fetch;
  /** Lets tests replace waiting (health --watch); default: a timer that the signal cuts short. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Asks for a password at the terminal without echo; absent when there is no terminal (cron, scripts). */
  readPassword?: (prompt: string) => Promise<string>;
}

export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
    env: process.env,
    now: () => new Date(),
    signal,
    readPassword: process.stdin.isTTY ? promptPassword : undefined,
  };
}
