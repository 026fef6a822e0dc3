// Reads a small secret from a file named on the command line: the first line, surrounding whitespace
// trimmed. Its content is never quoted in a message; a file that others may read gets a warning, as
// ssh warns of a private key with loose permissions.

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { CliIo } from './cli-io.js';

function reason(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/** The whole file, e.g. a PEM certificate; `flag` names the option in the error of a missing file. */
export function readOptionFile(flag: string, file: string, io: CliIo): Buffer {
  try {
    return readFileSync(path.resolve(io.cwd, file));
  } catch (err) {
    throw new UsageError(`${flag} ${file}: cannot read the file (${reason(err)})`);
  }
}

export function readSecretFile(flag: string, file: string, io: CliIo): string {
  const text = readOptionFile(flag, file, io).toString('utf8');
  const first = text.split(/\r?\n/, 1)[0]!.trim();
  if (!first) throw new UsageError(`${flag} ${file}: the file is empty (its first line holds the credential)`);
  try {
    const mode = statSync(path.resolve(io.cwd, file)).mode;
    if (mode & 0o077) {
      io.stderr(`warning: ${flag} ${file} can be read by others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); chmod 600 it\n`);
    }
  } catch {
    // it was just read: a stat that fails now changes nothing about the credential
  }
  return first;
}
