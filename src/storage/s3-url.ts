// Parses a repository URL `s3://bucket/prefix` into a bucket and a key prefix. The prefix is taken
// literally (no percent-decoding), like the aws CLI's s3:// paths.

import { UsageError } from '../errors.js';
import { assertValidKey } from './storage.js';

export interface S3Location {
  bucket: string;
  /** '' for the bucket's root, else a '/'-separated path without a trailing '/'. */
  prefix: string;
}

const SCHEME = /^s3:\/\//i;
// The rules AWS enforces for every bucket created since 2018; they also make virtual-hosted requests work.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;

export function isS3Url(repo: string): boolean {
  return SCHEME.test(repo);
}

export function parseS3Url(url: string): S3Location {
  if (!isS3Url(url)) throw new UsageError(`'${url}' is not an S3 URL: use s3://BUCKET or s3://BUCKET/PREFIX`);
  const rest = url.replace(SCHEME, '');
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/$/, '');
  if (!bucket) throw new UsageError(`repository '${url}' names no bucket: use s3://BUCKET or s3://BUCKET/PREFIX`);
  if (!BUCKET.test(bucket) || IP_ADDRESS.test(bucket) || bucket.includes('..')) {
    throw new UsageError(
      `repository '${url}': '${bucket}' is not a valid S3 bucket name ` +
        '(3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)',
    );
  }
  if (prefix) {
    try {
      assertValidKey(prefix);
    } catch {
      throw new UsageError(`repository '${url}': the prefix '${prefix}' must be a '/'-separated path without empty, '.' or '..' parts`);
    }
  }
  return { bucket, prefix };
}

export function formatS3Url({ bucket, prefix }: S3Location): string {
  return prefix ? `s3://${bucket}/${prefix}` : `s3://${bucket}`;
}
