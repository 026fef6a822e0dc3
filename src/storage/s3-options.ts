// Options for S3 repositories, their validation, and the S3 client they configure. Credentials are
// never options: the SDK's default chain finds them (environment, profile, SSO, instance role).

import * as v from '../validation/schema.js';
import { UsageError } from '../errors.js';

export interface S3Options {
  /** Endpoint of an S3-compatible store (MinIO, Ceph, S3Proxy...), e.g. `http://127.0.0.1:9000`. */
  endpoint?: string;
  /** Region used for signing; AWS's default chain (AWS_REGION, profile) when not set. */
  region?: string;
  /** Path-style requests (`endpoint/bucket/key`); most S3-compatible stores need it. */
  forcePathStyle?: boolean;
  /** Server-side encryption: SSE-S3 (`AES256`) or SSE-KMS (`aws:kms`, with `kmsKeyId` or the account's default key). */
  sse?: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
  /** Storage class of new objects, e.g. STANDARD_IA. Archive classes (GLACIER, DEEP_ARCHIVE) cannot be read back directly. */
  storageClass?: string;
  /** Objects larger than this go up as multipart uploads of parts this size (default 8 MiB, S3's minimum is 5 MiB). */
  partSizeBytes?: number;
  /** Parts of one multipart upload in flight at once (default 4); memory is about partSizeBytes x queueSize. */
  queueSize?: number;
  /** Send Content-MD5 with single-part uploads so the store rejects a corrupted body (default true). */
  contentMd5?: boolean;
}

export const S3_MIN_PART_SIZE = 5 * 1024 * 1024;
const S3_MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;

export const S3_DEFAULTS: { partSizeBytes: number; queueSize: number; contentMd5: boolean } = {
  partSizeBytes: 8 * 1024 * 1024,
  queueSize: 4,
  contentMd5: true,
};

function isHttpUrl(s: string): boolean {
  try {
    return /^https?:$/.test(new URL(s).protocol);
  } catch {
    return false;
  }
}

const schema: v.Schema<S3Options> = v
  .strictObject({
    endpoint: v.string().refine(isHttpUrl, 'must be an http:// or https:// URL').optional(),
    region: v.string().min(1).optional(),
    forcePathStyle: v.boolean().optional(),
    sse: v.enumOf(['AES256', 'aws:kms']).optional(),
    kmsKeyId: v.string().min(1).optional(),
    storageClass: v
      .string()
      .regex(/^[A-Z_]+$/, 'must be an S3 storage class such as STANDARD_IA')
      .optional(),
    partSizeBytes: v.number().int().min(S3_MIN_PART_SIZE).max(S3_MAX_PART_SIZE).optional(),
    queueSize: v.number().int().min(1).max(64).optional(),
    contentMd5: v.boolean().optional(),
  })
  .refine((o) => o.kmsKeyId === undefined || o.sse === 'aws:kms', "needs sse 'aws:kms'", ['kmsKeyId']);

/** Validates options from the CLI or a caller; the UsageError names the offending option (by `labels`, e.g. CLI flags, when given). */
export function parseS3Options(input: unknown, labels: Partial<Record<keyof S3Options, string>> = {}): S3Options {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${labels[i.path[0] as keyof S3Options] ?? (i.path.join('.') || 'options')}: ${i.message}`);
  throw new UsageError(`invalid S3 options: ${problems.join('; ')}`);
}
