// The CLI's contact with the world, injected so that tests run commands in-process.

import { OutputClosedError } from '../inspect/export-errors.js';
import { promptPassword } from './password-prompt.js';

export interface CliIo {
  stdout: (text: string) => void;
  /**
   * Writes data (export) to stdout with backpressure: resolves once the stream has taken the text and drained,
   * so a slow reader slows the writer instead of filling memory; rejects with OutputClosedError when the
   * reader went away (EPIPE).
   */
  writeStdout: (text: string) => Promise<void>;
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

let dataOnStdout = false;

/** Whether a command writes data to stdout: then a closed stdout is its failure to report (exit 19), not an EPIPE to ignore. */
export function stdoutCarriesData(): boolean {
  return dataOnStdout;
}

const CLOSED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/** Writes to a stream and waits until it is written out (the callback) and, when its buffer was full, for 'drain'. */
export function writeWithBackpressure(stream: NodeJS.WritableStream & { destroyed?: boolean }, text: string): Promise<void> {
  dataOnStdout = true;
  return new Promise((resolve, reject) => {
    const closed = (err?: Error | null): Error =>
      !err || CLOSED.has((err as NodeJS.ErrnoException).code ?? '') ? new OutputClosedError('stdout was closed', { cause: err }) : err;
    if (stream.destroyed) return reject(closed());
    let written = false;
    let drained = true;
    const settle = (): void => {
      if (written && drained) resolve();
    };
    const onDrain = (): void => {
      drained = true;
      settle();
    };
    drained = stream.write(text, (err) => {
      stream.off('drain', onDrain);
      if (err) return reject(closed(err));
      written = true;
      drained = true;
      settle();
    });
    if (!drained) stream.once('drain', onDrain);
  });
}

export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    writeStdout: (t) => writeWithBackpressure(process.stdout, t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
    env: process.env,
    now: () => new Date(),
    signal,
    readPassword: process.stdin.isTTY ? promptPassword : undefined,
  };
}
