// Runs an operator's command at a replication event (the primary is down, a failover, a failback):
// move a VIP, change DNS, reconfigure the collectors. Through the shell, with the event in the
// environment, its output passed on line by line, and a time limit.

import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { TsdbBackupError } from '../errors.js';

const SIGNAL_NUMBERS = constants.signals as Record<string, number>;

export interface HookResult {
  exitCode: number;
  durationMs: number;
}

export interface HookOptions {
  env: Record<string, string>;
  timeoutMs: number;
  log: (line: string) => void;
  /** Stops the hook (its whole process group) too. */
  signal?: AbortSignal;
}

/**
 * Runs `command` with `sh -c` in a process group of its own; resolves with its exit code (a hook that
 * cannot start is an error). At the time limit, or when `signal` fires, the whole group is killed: a
 * compound command's children too, which could otherwise keep it (and a failover) waiting.
 */
export function runHook(command: string, opts: HookOptions): Promise<HookResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      opts.log(`hook still running after ${opts.timeoutMs} ms: killing it`);
      killGroup();
    }, opts.timeoutMs);
    opts.signal?.addEventListener('abort', killGroup, { once: true });
    const lines = (prefix: string) => {
      let rest = '';
      return (data: Buffer): void => {
        rest += data.toString('utf8');
        const parts = rest.split('\n');
        rest = parts.pop()!;
        for (const p of parts) opts.log(`${prefix}${p}`);
      };
    };
    child.stdout.on('data', lines('hook: '));
    child.stderr.on('data', lines('hook (stderr): '));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new TsdbBackupError('HOOK_FAILED', `cannot run the hook '${command}': ${err.message}`));
    });
    // 'exit', not 'close': a child of the hook may still hold the output pipes.
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', killGroup);
      killGroup();
      resolve({ exitCode: code ?? (sig ? 128 + (SIGNAL_NUMBERS[sig] ?? 1) : 1), durationMs: Date.now() - started });
    });
  });
}
