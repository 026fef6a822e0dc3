// A Storage in an S3 bucket (AWS or an S3-compatible store), under a key prefix. Keys are the same as
// in a local repository, with `prefix/` in front. S3 publishes an object only when its upload
// completes, so a reader sees the whole object or none; the work here is keeping failed and
// interrupted multipart uploads from lingering, and classifying errors (s3-errors.ts).

import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type CreateMultipartUploadCommandOutput,
  type HeadObjectCommandOutput,
  type PutObjectCommandInput,
  type S3Client,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { NotFoundError, StorageError, throwIfAborted } from '../errors.js';
import { isInvalidRange, s3StorageError } from './s3-errors.js';
import { parseS3Options, S3_DEFAULTS, type S3Options } from './s3-options.js';
import { formatS3Url } from './s3-url.js';
import { assertValidKey, type ByteRange, type ObjectInfo, type OpOptions, type Storage } from './storage.js';

type Send = (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<unknown>;

/**
 * The client as lib-storage's Upload sees it. Upload sends its requests without a signal, so parts in
 * flight would run on after an interruption: this view adds the caller's signal to the parts and the
 * completion. Not to CreateMultipartUpload: cancelled in flight, it could leave an upload on the store
 * whose id we never learn; `uploadId()` waits for its answer instead. And when AbortMultipartUpload
 * fails (a store without it, or no permission for it), Upload reports that failure instead of the one
 * that made it abort: this view swallows it, so the original error, and whether it is retryable,
 * reaches the caller.
 */
function clientForUpload(client: S3Client, signal: AbortSignal | undefined): { client: S3Client; uploadId(): Promise<string | undefined> } {
  const send = client.send.bind(client) as Send;
  let created: Promise<unknown> | undefined;
  const wrapped: Send = (command, options) => {
    if (command instanceof AbortMultipartUploadCommand) return send(command, options).catch(() => undefined);
    if (command instanceof CreateMultipartUploadCommand) return (created = send(command, options));
    return send(command, { ...options, abortSignal: signal });
  };
  return {
    client: new Proxy(client, {
      get: (target, property, receiver) => (property === 'send' ? wrapped : (Reflect.get(target, property, receiver) as unknown)),
    }),
    uploadId: async () => ((await created?.catch(() => undefined)) as CreateMultipartUploadCommandOutput | undefined)?.UploadId,
  };
}

type ResolvedOptions = S3Options & Required<Pick<S3Options, 'partSizeBytes' | 'queueSize' | 'contentMd5'>>;

export class S3Storage implements Storage {
  private readonly options: ResolvedOptions;
  readonly prefix: string;

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    prefix = '',
    options: S3Options = {},
  ) {
    this.prefix = prefix.replace(/\/+$/, '');
    const parsed = parseS3Options(options);
    this.options = {
      ...parsed,
      partSizeBytes: parsed.partSizeBytes ?? S3_DEFAULTS.partSizeBytes,
      queueSize: parsed.queueSize ?? S3_DEFAULTS.queueSize,
      contentMd5: parsed.contentMd5 ?? S3_DEFAULTS.contentMd5,
    };
  }

  private objectKey(key: string): string {
    assertValidKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  /** What a failed request means; an interruption by our own signal wins over whatever the SDK threw. */
  private error(action: string, key: string, err: unknown, signal?: AbortSignal): NotFoundError | StorageError {
    throwIfAborted(signal);
    return s3StorageError(err, action, key, this.toString(), this.bucket);
  }

  /** Parameters every new object gets: encryption and storage class. */
  private newObject(objectKey: string): PutObjectCommandInput {
    const { sse, kmsKeyId, storageClass } = this.options;
    return {
      Bucket: this.bucket,
      Key: objectKey,
      ServerSideEncryption: sse,
      SSEKMSKeyId: kmsKeyId,
      StorageClass: storageClass as StorageClass | undefined,
    };
  }

  /** A single-part PutObject; Content-MD5 makes the store refuse a body corrupted on the way. */
  private putObject(objectKey: string, data: Uint8Array, signal?: AbortSignal) {
    const md5 = this.options.contentMd5 ? createHash('md5').update(data).digest('base64') : undefined;
    const input = { ...this.newObject(objectKey), Body: data, ContentLength: data.length, ContentMD5: md5 };
    return this.client.send(new PutObjectCommand(input), { abortSignal: signal });
  }

  /** A put is durable when S3 answers it, so a staged put is written at once and there is nothing to flush. */
  async flush(): Promise<void> {}

  async put(key: string, data: Uint8Array, opts?: OpOptions): Promise<void> {
    const objectKey = this.objectKey(key);
    const signal = opts?.signal;
    try {
      throwIfAborted(signal);
      if (data.length <= this.options.partSizeBytes) await this.putObject(objectKey, data, signal);
      else await this.putMultipart(objectKey, data, signal);
    } catch (err) {
      throw this.error('upload', key, err, signal);
    }
  }

  /**
   * Uploads in parts, at most queueSize in flight. The SDK checksums the parts only on AWS (CRC32);
   * on S3-compatible stores they go without one, and the manifest's SHA-256 still catches corruption.
   * With leavePartsOnError: false, lib-storage aborts the multipart upload when a part or the
   * completion fails, once the other parts in flight have settled.
   */
  private async putMultipart(objectKey: string, data: Uint8Array, signal?: AbortSignal): Promise<void> {
    const view = clientForUpload(this.client, signal);
    const upload = new Upload({
      client: view.client,
      params: { ...this.newObject(objectKey), Body: data },
      partSize: this.options.partSizeBytes,
      queueSize: this.options.queueSize,
      leavePartsOnError: false,
    });
    const onAbort = (): void => void upload.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await upload.done();
    } catch (err) {
      // On an interruption lib-storage rejects done() at once and aborts the multipart upload only
      // later, in the background (aws-sdk-js-v3#6426). Abort it here as well, so that it is gone when
      // put() rejects; a second abort is harmless. What can still be left behind (a store without
      // AbortMultipartUpload, a crash) is for a bucket lifecycle rule (AbortIncompleteMultipartUpload).
      // An interruption that lands while CompleteMultipartUpload is on its way may still publish the
      // object, whole: the repository writes its manifest last, so that is harmless too.
      const uploadId = signal?.aborted ? await view.uploadId() : undefined;
      if (uploadId) await this.abortMultipart(objectKey, uploadId);
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async abortMultipart(objectKey: string, uploadId: string): Promise<void> {
    // No abort signal: this is the cleanup after an interruption.
    await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: objectKey, UploadId: uploadId })).catch(() => undefined);
  }

  async get(key: string, opts?: OpOptions & { range?: ByteRange }): Promise<Uint8Array> {
    const objectKey = this.objectKey(key);
    const signal = opts?.signal;
    const range = opts?.range;
    if (range && range.length <= 0) {
      // S3 ignores an empty range like bytes=5-4 and would send the whole object.
      if (!(await this.head(key, signal))) throw new NotFoundError(`${key} does not exist in ${this}`);
      return new Uint8Array(0);
    }
    try {
      throwIfAborted(signal);
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: objectKey, Range: range && `bytes=${range.offset}-${range.offset + range.length - 1}` }),
        { abortSignal: signal },
      );
      const body = res.Body ? await res.Body.transformToByteArray() : new Uint8Array(0);
      // A store that ignores Range answers 200 with the whole object.
      return range && res.ContentRange === undefined ? body.slice(range.offset, range.offset + range.length) : body;
    } catch (err) {
      // The range starts at or past the end: clamped, that is nothing.
      if (range && isInvalidRange(err)) return new Uint8Array(0);
      throw this.error('read', key, err, signal);
    }
  }

  /**
   * HeadObject, undefined on 404. A HEAD response has no body, so a missing bucket looks like a missing
   * object here; get, put and list name the bucket in that case.
   */
  private async head(key: string, signal?: AbortSignal): Promise<HeadObjectCommandOutput | undefined> {
    const objectKey = this.objectKey(key);
    try {
      throwIfAborted(signal);
      return await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }), { abortSignal: signal });
    } catch (err) {
      const failure = this.error('stat', key, err, signal);
      if (failure instanceof NotFoundError) return undefined;
      throw failure;
    }
  }

  async stat(key: string, opts?: OpOptions): Promise<ObjectInfo | undefined> {
    const res = await this.head(key, opts?.signal);
    return res && { key, size: res.ContentLength ?? 0 };
  }

  async *list(prefix: string, opts?: OpOptions): AsyncIterable<ObjectInfo> {
    const signal = opts?.signal;
    const base = this.prefix ? `${this.prefix}/` : '';
    let token: string | undefined;
    do {
      let page;
      try {
        throwIfAborted(signal);
        page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: base + prefix, ContinuationToken: token }), {
          abortSignal: signal,
        });
      } catch (err) {
        throw this.error('list', prefix || '/', err, signal);
      }
      for (const o of page.Contents ?? []) {
        // "Folder" markers (`prefix/`, made by web consoles and by filesystem-backed stores) are not
        // objects of the repository, whose keys never end in '/'.
        if (o.Key?.startsWith(base) && !o.Key.endsWith('/')) yield { key: o.Key.slice(base.length), size: o.Size ?? 0 };
      }
      // Pages hold at most 1000 keys. A store that says there is more but gives no token (one that only
      // pages ListObjects V1) must not make a listing look complete.
      if (page.IsTruncated && !page.NextContinuationToken) {
        throw new StorageError(`cannot list ${prefix || '/'} in ${this}: the store cut the listing short without a continuation token`, {
          hint: 'the store does not page ListObjectsV2 correctly',
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(key: string, opts?: OpOptions): Promise<void> {
    const objectKey = this.objectKey(key);
    try {
      throwIfAborted(opts?.signal);
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }), { abortSignal: opts?.signal });
    } catch (err) {
      // S3 answers 204 for a missing key; some stores answer 404.
      const failure = this.error('delete', key, err, opts?.signal);
      if (!(failure instanceof NotFoundError)) throw failure;
    }
  }

  toString(): string {
    return formatS3Url({ bucket: this.bucket, prefix: this.prefix });
  }
}
