// Turns a --repo argument into a Storage, wrapped with retries.

import path from 'node:path';
import { UsageError } from '../errors.js';
import { LocalStorage } from './local-storage.js';
import { RetryingStorage } from './retrying-storage.js';
import type { Storage } from './storage.js';

export function openStorage(repo: string, opts: { cwd?: string; onRetry?: (err: unknown, attempt: number, delayMs: number) => void } = {}): Storage {
  if (!repo) throw new UsageError('--repo is required');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) && !repo.startsWith('file://')) {
    throw new UsageError(`repository '${repo}': only local directories are supported by this version`);
  }
  const dir = repo.startsWith('file://') ? new URL(repo).pathname : repo;
  return new RetryingStorage(new LocalStorage(path.resolve(opts.cwd ?? process.cwd(), dir)), undefined, opts.onRetry);
}
