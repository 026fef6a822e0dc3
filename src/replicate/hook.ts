// Runs an operator's command at a replication event (the primary is down, a failover, a failback):
// move a VIP, change DNS, reconfigure the collectors. Through the shell, with the event in the
// environment, its output passed on line by line, and a time limit.

import { spawn } from 'node:child_process';
import { TsdbBackupError } from '../errors.js';

export interface HookResult {
  exitCode: number;
  durationMs: number;
}

export interface HookOptions {
  env: Record<string, string>;
  timeoutMs: number;
  log: (line: string) => void;
}

/** Runs `command` with `sh -c`; resolves with its exit code (a hook that cannot start is an error). */
export function runHook(command: string, opts: HookOptions): Promise<HookResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      opts.log(`hook still running after ${opts.timeoutMs} ms: killing it`);
      child.kill('SIGKILL');
    }, opts.timeoutMs);
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
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? (sig ? 128 + 9 : 1), durationMs: Date.now() - started });
    });
  });
}
