// Classifies failures of S3 requests: not found, permanent (with a hint for the operator) or retryable.
// Only the error's name, HTTP status, `$retryable` flag and Node error code are looked at, never its
// message: stores word their messages differently, and the SDK names errors by the S3 error code.

import { NotFoundError, StorageError } from '../errors.js';

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export type S3ErrorKind = 'not-found' | 'permanent' | 'retryable';

const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
  'TooManyRequestsException',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  // the SDK corrects its clock offset from this answer, so the next attempt is signed right
  'RequestTimeTooSkewed',
  // a conflicting operation on the bucket was in progress
  'OperationAborted',
  // the body arrived corrupted (its Content-MD5 did not match): sending it again is the cure
  'BadDigest',
  // the multipart upload was aborted under us (e.g. by a lifecycle rule); a new put starts a new one
  'NoSuchUpload',
]);

// Failures of the connection itself, below HTTP.
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

const NOT_FOUND_NAMES = new Set(['NoSuchKey', 'NotFound']);

function fields(err: unknown): SdkError {
  return typeof err === 'object' && err !== null ? (err as SdkError) : {};
}

function statusOf(err: unknown): number | undefined {
  return fields(err).$metadata?.httpStatusCode;
}

export function classifyS3Error(err: unknown): S3ErrorKind {
  const { name = '', code, $retryable } = fields(err);
  const status = statusOf(err);
  // A missing bucket is a 404 too, but it is a configuration error, not a missing object.
  if (name === 'NoSuchBucket') return 'permanent';
  if (RETRYABLE_NAMES.has(name) || $retryable) return 'retryable';
  if (NOT_FOUND_NAMES.has(name) || status === 404) return 'not-found';
  if (code !== undefined && NETWORK_CODES.has(code)) return 'retryable';
  if (status === 408 || status === 429 || (status !== undefined && status >= 500 && status !== 501)) return 'retryable';
  // Other 4xx (AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch, InvalidArgument...), 501, and
  // errors that never reached the store (no credentials, no region): trying again will not help.
  return 'permanent';
}

/** A range that starts at or after the end of the object (416). */
export function isInvalidRange(err: unknown): boolean {
  return fields(err).name === 'InvalidRange' || statusOf(err) === 416;
}

function hintFor(err: unknown, bucket: string): string | undefined {
  const { name = '', code } = fields(err);
  const status = statusOf(err);
  if (name === 'NoSuchBucket') return `bucket '${bucket}' does not exist: check the bucket name in the repository URL, and the endpoint or region`;
  if (name === 'InvalidAccessKeyId') return 'the store does not know this access key: check the AWS credentials (AWS_ACCESS_KEY_ID, AWS_PROFILE)';
  if (name === 'SignatureDoesNotMatch') return 'check the secret access key; for an S3-compatible store also the region and the path-style option';
  if (name === 'ExpiredToken' || name === 'TokenRefreshRequired') return 'the session credentials have expired: refresh them and run again';
  if (name === 'CredentialsProviderError')
    return 'no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or use an instance role';
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || status === 301)
    return `bucket '${bucket}' is in another region: set the S3 region to the bucket's region`;
  if ((err as Error | undefined)?.message === 'Region is missing')
    return 'no S3 region configured: pass --s3-region or set AWS_REGION (any value works for most S3-compatible stores)';
  if (name.startsWith('KMS.')) return 'check the KMS key id, and that the credentials may use the key (kms:GenerateDataKey, kms:Decrypt)';
  if (name === 'InvalidObjectState') return 'the object is in an archive storage class: restore it to a readable class first';
  if (name === 'InvalidStorageClass') return 'the store does not accept this storage class';
  if (name === 'AccessDenied' || status === 403) {
    return `check that the credentials may use bucket '${bucket}' (s3:GetObject, s3:PutObject, s3:DeleteObject, s3:ListBucket)`;
  }
  if (status === 501) return 'the store does not implement a request or header tsdb-backup sent: try without SSE, storage class or Content-MD5 options';
  if (code === 'ENOTFOUND' || code === 'ECONNREFUSED') return 'check the S3 endpoint, and that the store is running';
  return undefined;
}

function describe(err: unknown): string {
  const { name, code, message } = fields(err);
  const status = statusOf(err);
  const label = code ?? name ?? 'Error';
  return `${label}${status ? ` (HTTP ${status})` : ''}${message && message !== label ? `: ${message}` : ''}`;
}

/**
 * The error to throw for a failed request: NotFoundError, or StorageError saying whether a retry may
 * help. `where` names the storage (`s3://bucket/prefix`), so every message names the bucket.
 */
export function s3StorageError(err: unknown, action: string, key: string, where: string, bucket: string): NotFoundError | StorageError {
  const kind = classifyS3Error(err);
  if (kind === 'not-found') return new NotFoundError(`${key} does not exist in ${where}`, { cause: err });
  return new StorageError(`cannot ${action} ${key} in ${where}: ${describe(err)}`, {
    cause: err,
    retryable: kind === 'retryable',
    hint: hintFor(err, bucket),
  });
}
