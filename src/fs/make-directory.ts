// Creates a directory and whichever of its parents are missing, one level at a time; the ones created here
// get `mode`, existing ones keep theirs.
//
// Not `mkdir(dir, { recursive: true })`: on Linux, under /proc (and other filesystems that answer ENOENT
// for a child of a directory that exists), Node's recursive mkdir never settles. It retried for ever at
// 100% CPU and the process ignored SIGTERM, so `restore --state-dir /proc/x` hung. Here a parent that
// exists but refuses the child fails once, with the filesystem's own error.

import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

function codeOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

async function makeOne(dir: string, mode: number): Promise<void> {
  try {
    await mkdir(dir, { mode });
  } catch (err) {
    // Something already there: fine if it is a directory (ours or another process's), an error otherwise.
    if (codeOf(err) === 'EEXIST' && (await stat(dir)).isDirectory()) return;
    throw err;
  }
}

export async function makeDirectory(dir: string, mode: number): Promise<void> {
  try {
    await makeOne(dir, mode);
  } catch (err) {
    const parent = path.dirname(dir);
    if (codeOf(err) !== 'ENOENT' || parent === dir) throw err;
    await makeDirectory(parent, mode);
    await makeOne(dir, mode);
  }
}
