// zstd-napi, loaded at the first compression or decompression: its native addon and modules cost ~15 ms of
// start-up CPU that a command which compresses nothing (--version, a no-op incremental, list) need not pay
// (issue 12). It is CommonJS, so a require() at first use keeps compress and decompress synchronous.

// When the addon cannot be loaded (not installed, or built for another Node.js), that is said as such: it
// must never pass for a damaged chunk, which would send an operator to throw good backups away.

import { createRequire } from 'node:module';
import { TsdbBackupError } from '../errors.js';

type Zstd = typeof import('zstd-napi');

let zstd: Zstd | undefined;

function load(): Zstd {
  if (zstd) return zstd;
  try {
    zstd = createRequire(import.meta.url)('zstd-napi') as Zstd;
  } catch (err) {
    throw new TsdbBackupError(
      'DEPENDENCY_MISSING',
      `cannot load zstd-napi, the zstd library that compresses and decompresses every chunk: ${(err as Error).message.split('\n')[0]}`,
      {
        cause: err,
        hint: 'reinstall tsdb-backup (npm ci), or run `npm rebuild zstd-napi` after a Node.js upgrade; the repository is not affected',
      },
    );
  }
  return zstd;
}

/** Loads the library now: a failure to load is then not taken for a failure to decompress. */
export function loadZstd(): void {
  load();
}

export const compress: Zstd['compress'] = (data, parameters) => load().compress(data, parameters);
export const decompress: Zstd['decompress'] = (data, parameters) => load().decompress(data, parameters);
