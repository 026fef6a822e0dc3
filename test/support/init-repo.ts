// Creates the repository a test backs up into, as an operator does with `tsdb-backup init`: plain by
// default, encrypted when the test gives a password.

import { expect } from 'vitest';
import { cli } from './run-cli-in-process.js';

export interface InitRepoOptions {
  /** Encrypt the repository with this password (TSDB_BACKUP_PASSWORD). */
  password?: string;
  /** Extra options, e.g. the S3 flags of an s3:// repository. */
  args?: string[];
}

export async function initRepo(repo: string, opts: InitRepoOptions = {}): Promise<void> {
  const args = ['init', '--repo', repo, ...(opts.args ?? []), ...(opts.password === undefined ? ['--insecure-no-encryption'] : [])];
  const r = await cli(args, { env: opts.password === undefined ? {} : { TSDB_BACKUP_PASSWORD: opts.password } });
  expect(r.code, r.stderr).toBe(0);
}
