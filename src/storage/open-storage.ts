// Turns a --repo argument into a Storage: a local directory (or file:// URL), or an S3 bucket and prefix
// (s3://bucket/prefix), wrapped with rate limits and retries in one place (wrapStorage).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { UsageError } from '../errors.js';
import { LocalStorage } from './local-storage.js';
import type { RetryPolicy } from '../retry.js';
import { RateLimitedStorage, type StorageLimits } from './rate-limited-storage.js';
import { RetryingStorage } from './retrying-storage.js';
import { LazyStorage } from './lazy-storage.js';
import { parseS3Options, type S3Options } from './s3-options.js';
import { formatS3Url, isS3Url, parseS3Url } from './s3-url.js';
import type { Storage } from './storage.js';

export interface OpenStorageOptions {
  cwd?: string;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** For s3:// repositories: endpoint, region, path style, encryption, storage class, part size. */
  s3?: S3Options;
  /** Builds the S3 client (tests inject one); by default the SDK's, with its default credential chain. */
  s3ClientFactory?: (options: S3Options) => S3Client;
  /** --limit-upload and --limit-download. */
  limits?: StorageLimits;
}

export function openStorage(repo: string, opts: OpenStorageOptions = {}): Storage {
  if (!repo) throw new UsageError('--repo is required');
  return wrapStorage(openBackend(repo, opts), opts);
}

/**
 * The wrappers every backend gets, in one place. The limiter is inside the retries: each attempt waits
 * for its own bytes (a retried upload is sent, and charged, again), and the backoff between attempts
 * waits outside the limiter, so a failing request never holds back the others' budget.
 */
export function wrapStorage(backend: Storage, opts: { limits?: StorageLimits; retry?: RetryPolicy; onRetry?: OpenStorageOptions['onRetry'] } = {}): Storage {
  const limited = opts.limits?.upload || opts.limits?.download ? new RateLimitedStorage(backend, opts.limits) : backend;
  return new RetryingStorage(limited, opts.retry, opts.onRetry);
}

function openBackend(repo: string, opts: OpenStorageOptions): Storage {
  if (isS3Url(repo)) {
    const { bucket, prefix } = parseS3Url(repo);
    const s3 = parseS3Options(opts.s3);
    // The AWS SDK is loaded at the first request, not when the command starts.
    return new LazyStorage(formatS3Url({ bucket, prefix }), async () => {
      const [{ S3Storage }, { createS3Client }] = await Promise.all([import('./s3-storage.js'), import('./s3-client.js')]);
      return new S3Storage((opts.s3ClientFactory ?? createS3Client)(s3), bucket, prefix, s3);
    });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) && !repo.startsWith('file://')) {
    throw new UsageError(`repository '${repo}': only local directories and s3://bucket/prefix are supported`);
  }
  const dir = repo.startsWith('file://') ? localPathOf(repo) : repo;
  return new LocalStorage(path.resolve(opts.cwd ?? process.cwd(), dir));
}

function localPathOf(fileUrl: string): string {
  try {
    // fileURLToPath decodes %xx and refuses a host other than localhost, which would be another machine.
    return fileURLToPath(fileUrl);
  } catch (err) {
    throw new UsageError(`--repo '${fileUrl}' is not a usable file:// URL (${(err as Error).message}); use file:///absolute/path or a plain directory`);
  }
}
