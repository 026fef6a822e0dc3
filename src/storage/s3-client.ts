// The AWS SDK's S3 client for a repository's S3 options. Loaded only for s3:// repositories (see
// lazy-storage.ts): the SDK costs about 0.25 CPU-seconds to load.

import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Options } from './s3-options.js';

/**
 * Builds the client for these options; `overrides` is for tests (e.g. fixed credentials).
 * - maxAttempts 2: one quick SDK retry, so a single transient failure of one multipart part does not
 *   restart the whole object and the SDK can correct clock skew; RetryingStorage does the patient
 *   retries with backoff above it.
 * - A custom endpoint gets checksums only WHEN_REQUIRED: S3-compatible stores often reject the SDK's
 *   default CRC32 headers (S3Proxy 3.0 answers 501 NotImplemented). S3Storage sends Content-MD5 instead.
 * - Timeouts: a connection that never opens or a socket idle for 2 minutes becomes a retryable
 *   TimeoutError instead of a backup that hangs forever.
 */
export function createS3Client(options: S3Options, overrides: S3ClientConfig = {}): S3Client {
  return new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 10_000, socketTimeout: 120_000 },
    ...(options.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
    ...overrides,
  });
}
