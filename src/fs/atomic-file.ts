// Replaces a small file whole: written to a temporary file beside it, fsynced, renamed over it, and the
// directory fsynced, so that a reader (or a restart after a crash) sees the old or the new content,
// never a mixture. A new file is private (0600); one that exists keeps its mode, which the operator
// may have opened up on purpose (a .prom file that node_exporter's group reads).

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from './private-modes.js';

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  const kept = await stat(file).then(
    (s) => s.mode & 0o777,
    () => undefined,
  );
  try {
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE_FILE_MODE);
    try {
      if (kept !== undefined) await handle.chmod(kept);
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  const dir = await open(path.dirname(file), constants.O_RDONLY);
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
