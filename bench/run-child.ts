// Runs bench/measure-child.ts in its own Node process with the CLI's V8 flags (its shebang, or
// BENCH_CHILD_FLAGS) and returns the figures it prints. `codeDir` runs another checkout's copy, to
// measure the same thing before and after a change.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;

export function runChild(args: string[], env: Record<string, string> = {}, codeDir = path.join(here, '..')): Promise<Record<string, number>> {
  const shebang = /^#!\/usr\/bin\/env -S node (.*)$/m.exec(readFileSync(path.join(here, '../bin/tsdb-backup.js'), 'utf8'))?.[1] ?? '';
  const flags = (process.env.BENCH_CHILD_FLAGS ?? shebang).split(' ').filter(Boolean);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', '--no-warnings', path.join(codeDir, 'bench/measure-child.ts'), ...args], {
      cwd: codeDir,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>) : reject(new Error(`${args[0]} exited ${code}`)),
    );
  });
}
