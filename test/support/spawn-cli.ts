// Runs the built CLI (bin/tsdb-backup.js) as a child process that a test can kill with SIGKILL: a
// crash at any moment, as the end-to-end tests make it.

import { spawn } from 'node:child_process';
import path from 'node:path';

export function spawnCli(args: string[]): { stop: () => Promise<void> } {
  const bin = path.resolve(import.meta.dirname, '../../bin/tsdb-backup.js');
  const child = spawn(process.execPath, [bin, ...args, '--quiet'], { stdio: 'ignore' });
  return {
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
