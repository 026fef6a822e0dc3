import { randomBytes } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAbortError, NotFoundError, StorageError, UsageError } from '../../src/errors.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { classifyS3Error, s3StorageError } from '../../src/storage/s3-errors.js';
import { createS3Client } from '../../src/storage/s3-client.js';
import { parseS3Options, type S3Options } from '../../src/storage/s3-options.js';
import { S3Storage } from '../../src/storage/s3-storage.js';
import { parseS3Url } from '../../src/storage/s3-url.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { abortRightAfterStart, storageSuite } from './storage-suite.js';

const MiB = 1024 * 1024;
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

let server: S3TestServer;
let runs = 0;

beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

function clientFor(s: S3TestServer, options: S3Options = {}): S3Client {
  return createS3Client(
    { endpoint: s.endpoint, region: s.region, forcePathStyle: true, ...options },
    { credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } },
  );
}

/** A storage under a prefix of its own, so tests sharing the server's bucket do not see each other. */
function storageOn(s: S3TestServer, options: S3Options = {}, client = clientFor(s, options)): S3Storage {
  runs += 1;
  return new S3Storage(client, s.bucket, `runs/${runs}`, options);
}

interface SentRequest {
  command: string;
  input: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Records every request the client sends, and lets a test act around one (fail it, abort after it). */
function instrument(
  client: S3Client,
  around?: (command: string, input: Record<string, unknown>, send: () => Promise<unknown>) => Promise<unknown>,
): SentRequest[] {
  const sent: SentRequest[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      sent.push({ command: context.commandName ?? '?', input: args.input as Record<string, unknown>, headers: { ...request.headers } });
      if (!around) return next(args);
      return (await around(context.commandName ?? '?', args.input as Record<string, unknown>, () => next(args))) as Awaited<ReturnType<typeof next>>;
    },
    { step: 'finalizeRequest', name: 'testRecorder' },
  );
  return sent;
}

async function keysUnder(storage: S3Storage, prefix: string, signal?: AbortSignal): Promise<string[]> {
  const keys = [];
  for await (const o of storage.list(prefix, { signal })) keys.push(o.key);
  return keys;
}

storageSuite('S3Storage (s3rver)', {
  create: async () => storageOn(server),
  interruptPut: abortRightAfterStart,
});

// What the CLI uses: openStorage's s3:// backend, built at its first request (lazy-storage.ts), behind retries.
storageSuite('openStorage s3:// (loaded lazily, s3rver)', {
  create: async () => {
    runs += 1;
    const options = { endpoint: server.endpoint, region: server.region, forcePathStyle: true };
    return openStorage(`s3://${server.bucket}/lazy/${runs}`, { s3: options, s3ClientFactory: (o) => clientFor(server, o) });
  },
  interruptPut: abortRightAfterStart,
});

describe('S3Storage uploads', () => {
  it('an object larger than the part size goes up in parts and reads back exactly', async () => {
    const client = clientFor(server);
    const sent = instrument(client);
    const storage = storageOn(server, { partSizeBytes: 5 * MiB }, client);
    const data = randomBytes(12 * MiB + 123);
    await storage.put('data/big', data);
    const commands = sent.map((r) => r.command);
    expect(commands.filter((c) => c === 'UploadPartCommand')).toHaveLength(3);
    expect(commands).toContain('CompleteMultipartUploadCommand');
    expect(commands).not.toContain('PutObjectCommand');
    expect(await storage.stat('data/big')).toEqual({ key: 'data/big', size: data.length });
    expect(Buffer.from(await storage.get('data/big')).equals(data)).toBe(true);
    const across = await storage.get('data/big', { range: { offset: 5 * MiB - 10, length: 20 } });
    expect(Buffer.from(across).equals(data.subarray(5 * MiB - 10, 5 * MiB + 10))).toBe(true);
  });

  it('an interrupted multipart upload cancels its parts, leaves no object and is aborted before put returns', async () => {
    const ctl = new AbortController();
    const client = clientFor(server);
    let part2 = 'not sent';
    const sent = instrument(client, async (command, input, send) => {
      if (command !== 'UploadPartCommand' || input.PartNumber !== 2) return send();
      // interrupted while part 2 is on its way: the signal must reach that request too
      ctl.abort();
      return send().then(
        (out) => ((part2 = 'completed'), out),
        (err: unknown) => {
          part2 = (err as Error).name;
          throw err;
        },
      );
    });
    const storage = storageOn(server, { partSizeBytes: 5 * MiB, queueSize: 1 }, client);
    const err = await storage.put('data/interrupted', randomBytes(16 * MiB), { signal: ctl.signal }).catch((e: unknown) => e);
    expect(isAbortError(err)).toBe(true);
    expect(part2).toBe('AbortError');
    // s3rver answers AbortMultipartUpload with 405 (it lacks it); that it was asked is what S3Storage controls
    expect(sent.map((r) => r.command)).toContain('AbortMultipartUploadCommand');
    expect(sent.map((r) => r.command)).not.toContain('CompleteMultipartUploadCommand');
    expect(await storage.stat('data/interrupted')).toBeUndefined();
    expect(await keysUnder(storage, 'data/')).toEqual([]);
  });

  it('a failed part aborts the multipart upload and leaves no object', async () => {
    const client = clientFor(server);
    const sent = instrument(client, async (command, input, send) => {
      if (command === 'UploadPartCommand' && input.PartNumber === 2) {
        throw Object.assign(new Error('injected failure'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
      }
      return send();
    });
    const storage = storageOn(server, { partSizeBytes: 5 * MiB, queueSize: 1 }, client);
    const err = await storage.put('data/failed', randomBytes(11 * MiB)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    // the part's failure, not s3rver's 405 to the AbortMultipartUpload that followed it
    expect((err as Error).message).toContain('data/failed');
    expect((err as Error).message).toContain('InternalError');
    expect((err as StorageError).retryable).toBe(true);
    expect(sent.map((r) => r.command)).toContain('AbortMultipartUploadCommand');
    expect(await storage.stat('data/failed')).toBeUndefined();
  });

  it('single-part uploads carry Content-MD5 unless it is turned off', async () => {
    const client = clientFor(server);
    const sent = instrument(client);
    await storageOn(server, {}, client).put('k', bytes('hello'));
    await storageOn(server, { contentMd5: false }, client).put('k', bytes('hello'));
    const puts = sent.filter((r) => r.command === 'PutObjectCommand');
    expect(puts[0]?.headers['content-md5']).toBe('XUFAKrxLKna5cZ2REBfFkg==');
    expect(puts[1]?.headers['content-md5']).toBeUndefined();
    // WHEN_REQUIRED on a custom endpoint: none of the SDK's CRC32 headers, which S3Proxy refuses
    expect(Object.keys(puts[0]?.headers ?? {}).filter((h) => h.startsWith('x-amz-checksum'))).toEqual([]);
  });

  it('encryption and storage class options reach single-part and multipart uploads', async () => {
    const client = clientFor(server);
    const sent = instrument(client);
    const storage = storageOn(server, { sse: 'aws:kms', kmsKeyId: 'key-1', storageClass: 'STANDARD_IA', partSizeBytes: 5 * MiB }, client);
    await storage.put('small', bytes('x'));
    await storage.put('large', new Uint8Array(6 * MiB));
    for (const command of ['PutObjectCommand', 'CreateMultipartUploadCommand']) {
      const headers = sent.find((r) => r.command === command)?.headers ?? {};
      expect(headers['x-amz-server-side-encryption'], command).toBe('aws:kms');
      expect(headers['x-amz-server-side-encryption-aws-kms-key-id'], command).toBe('key-1');
      expect(headers['x-amz-storage-class'], command).toBe('STANDARD_IA');
    }
  });
});

describe('S3Storage reads and listings', () => {
  it('a range starting at or past the end is empty, and an empty range of a missing key is NotFound', async () => {
    const storage = storageOn(server);
    await storage.put('r', bytes('0123456789'));
    expect((await storage.get('r', { range: { offset: 10, length: 5 } })).length).toBe(0);
    expect((await storage.get('r', { range: { offset: 3, length: 0 } })).length).toBe(0);
    await expect(storage.get('missing', { range: { offset: 0, length: 0 } })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a listing follows continuation tokens past the 1000 keys of one page', async () => {
    const client = clientFor(server);
    const sent = instrument(client);
    const storage = storageOn(server, {}, client);
    const keys = Array.from({ length: 1001 }, (_, i) => `data/${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => storage.put(k, bytes(k))));
    expect((await keysUnder(storage, 'data/')).sort()).toEqual(keys);
    const lists = sent.filter((r) => r.command === 'ListObjectsV2Command');
    expect(lists).toHaveLength(2);
    expect(lists[1]?.input.ContinuationToken).toBeTruthy();
  });

  it('a listing cut short without a continuation token fails instead of looking complete', async () => {
    const client = clientFor(server);
    instrument(client, async (command, _input, send) => {
      const out = (await send()) as { output: { IsTruncated?: boolean; NextContinuationToken?: string } };
      if (command === 'ListObjectsV2Command') Object.assign(out.output, { IsTruncated: true, NextContinuationToken: undefined });
      return out;
    });
    const storage = storageOn(server, {}, client);
    await storage.put('data/a', bytes('a'));
    await expect(keysUnder(storage, 'data/')).rejects.toThrow(/without a continuation token/);
  });

  it('keys are stored under the prefix and listed relative to it', async () => {
    const client = clientFor(server);
    const storage = new S3Storage(client, server.bucket, 'team/repo-a/');
    await storage.put('backups/1/manifest.json', bytes('{}'));
    const raw = await client.send(new GetObjectCommand({ Bucket: server.bucket, Key: 'team/repo-a/backups/1/manifest.json' }));
    expect(await raw.Body?.transformToString()).toBe('{}');
    expect(await keysUnder(storage, 'backups/')).toEqual(['backups/1/manifest.json']);
    expect(String(storage)).toBe(`s3://${server.bucket}/team/repo-a`);
  });

  it('skips "folder" marker objects, which a web console creates for a prefix', async () => {
    const client = clientFor(server);
    const storage = new S3Storage(client, server.bucket, 'team/repo-marked');
    for (const marker of ['team/repo-marked/', 'team/repo-marked/locks/'])
      await client.send(new PutObjectCommand({ Bucket: server.bucket, Key: marker, Body: '' }));
    await storage.put('locks/exclusive-1.json', bytes('{}'));
    expect(await keysUnder(storage, '')).toEqual(['locks/exclusive-1.json']);
  });

  it('an empty prefix keeps keys at the root of the bucket', async () => {
    const other = await startS3Server({ bucket: 'root-bucket' });
    try {
      const storage = new S3Storage(clientFor(other), other.bucket);
      await storage.put('config.json', bytes('{}'));
      expect(await keysUnder(storage, '')).toEqual(['config.json']);
      expect(String(storage)).toBe('s3://root-bucket');
    } finally {
      await other.stop();
    }
  });
});

describe('S3Storage errors', () => {
  it('a missing bucket is a permanent error whose message and hint name the bucket', async () => {
    const storage = new S3Storage(clientFor(server), 'no-such-bucket', 'p');
    for (const attempt of [() => storage.get('config.json'), () => storage.put('x', bytes('x')), () => keysUnder(storage, '')]) {
      const err = await attempt().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect(err).not.toBeInstanceOf(NotFoundError);
      expect((err as StorageError).retryable).toBe(false);
      expect((err as Error).message).toContain('s3://no-such-bucket/p');
      expect((err as Error).message).toContain('NoSuchBucket');
      expect((err as StorageError).hint).toContain("'no-such-bucket'");
    }
  });

  it('unknown credentials are a permanent error with a hint about credentials', async () => {
    const client = createS3Client(
      { endpoint: server.endpoint, region: server.region, forcePathStyle: true },
      { credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'x' } },
    );
    const err = await new S3Storage(client, server.bucket).get('k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).retryable).toBe(false);
    expect((err as StorageError).hint).toMatch(/credentials/);
  });

  it('a store that cannot be reached is a retryable error', async () => {
    const gone = await startS3Server();
    await gone.stop();
    const err = await new S3Storage(clientFor(gone), gone.bucket).get('k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).retryable).toBe(true);
    expect((err as Error).message).toContain('ECONNREFUSED');
  });

  it('an aborted signal stops every operation before it reaches the store', async () => {
    const client = clientFor(server);
    const sent = instrument(client);
    const storage = storageOn(server, {}, client);
    const signal = AbortSignal.abort();
    const attempts = [
      () => storage.put('k', bytes('x'), { signal }),
      () => storage.put('k', new Uint8Array(9 * MiB), { signal }),
      () => storage.get('k', { signal }),
      () => storage.stat('k', { signal }),
      () => storage.delete('k', { signal }),
      () => keysUnder(storage, '', signal),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toSatisfy(isAbortError);
    expect(sent).toEqual([]);
  });

  it('classifies by error name, HTTP status and network code', () => {
    const s3 = (name: string, status?: number) => Object.assign(new Error(`message of ${name}`), { name, $metadata: { httpStatusCode: status } });
    const cases: Array<[unknown, string]> = [
      [s3('NoSuchKey', 404), 'not-found'],
      [s3('NotFound', 404), 'not-found'],
      [s3('NoSuchBucket', 404), 'permanent'],
      [s3('AccessDenied', 403), 'permanent'],
      [s3('InvalidAccessKeyId', 403), 'permanent'],
      [s3('SignatureDoesNotMatch', 403), 'permanent'],
      [s3('InvalidArgument', 400), 'permanent'],
      [s3('NotImplemented', 501), 'permanent'],
      [s3('SlowDown', 503), 'retryable'],
      [s3('InternalError', 500), 'retryable'],
      [s3('Unknown', 502), 'retryable'],
      [s3('BadDigest', 400), 'retryable'],
      [s3('RequestTimeTooSkewed', 403), 'retryable'],
      [s3('ThrottlingException', 400), 'retryable'],
      [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'retryable'],
      [Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'retryable'],
      [new Error('Region is missing'), 'permanent'],
    ];
    for (const [err, kind] of cases) expect(classifyS3Error(err), (err as Error).name + ' ' + (err as Error).message).toBe(kind);
    const error = s3StorageError(s3('AccessDenied', 403), 'read', 'backups/x', 's3://b/p', 'b');
    expect(error.message).toBe('cannot read backups/x in s3://b/p: AccessDenied (HTTP 403): message of AccessDenied');
    expect(s3StorageError(new Error('Region is missing'), 'read', 'config.json', 's3://b/p', 'b').hint).toMatch(/--s3-region or set AWS_REGION/);
  });
});

describe('s3:// repository URLs', () => {
  it('parses the bucket and the prefix', () => {
    expect(parseS3Url('s3://my-bucket')).toEqual({ bucket: 'my-bucket', prefix: '' });
    expect(parseS3Url('s3://my-bucket/')).toEqual({ bucket: 'my-bucket', prefix: '' });
    expect(parseS3Url('s3://my-bucket/tsdb/prod/')).toEqual({ bucket: 'my-bucket', prefix: 'tsdb/prod' });
    expect(parseS3Url('S3://my.bucket.example/a b')).toEqual({ bucket: 'my.bucket.example', prefix: 'a b' });
  });

  it('rejects what is not a bucket or a clean prefix, with a UsageError that says why', () => {
    expect(() => parseS3Url('s3://')).toThrow(/names no bucket/);
    expect(() => parseS3Url('s3:///prefix')).toThrow(/names no bucket/);
    expect(() => parseS3Url('s3://My_Bucket/x')).toThrow(/'My_Bucket' is not a valid S3 bucket name/);
    expect(() => parseS3Url('s3://ab')).toThrow(UsageError);
    expect(() => parseS3Url('s3://192.168.1.1/x')).toThrow(/not a valid S3 bucket name/);
    for (const bad of ['s3://bucket//x', 's3://bucket/a//b', 's3://bucket/../x', 's3://bucket/a/./b']) {
      expect(() => parseS3Url(bad), bad).toThrow(/prefix/);
    }
    expect(() => parseS3Url('/local/dir')).toThrow(UsageError);
  });

  it('openStorage builds an S3Storage for s3:// and keeps local paths and other schemes as before', async () => {
    const storage = openStorage(`s3://${server.bucket}/opened/repo`, {
      s3: { endpoint: server.endpoint, region: server.region, forcePathStyle: true },
      s3ClientFactory: (o) => clientFor(server, o),
    });
    expect(String(storage)).toBe(`s3://${server.bucket}/opened/repo`);
    await storage.put('config.json', bytes('{}'));
    expect(await storage.stat('config.json')).toEqual({ key: 'config.json', size: 2 });
    expect(String(openStorage('repo', { cwd: '/tmp' }))).toBe('/tmp/repo');
    expect(() => openStorage('gs://bucket/x')).toThrow(UsageError);
    expect(() => openStorage('s3://bucket', { s3: { partSizeBytes: 1024 } })).toThrow(/partSizeBytes/);
  });
});

describe('S3 options', () => {
  it('validate and name the offending option', () => {
    expect(parseS3Options({ sse: 'aws:kms', kmsKeyId: 'k', partSizeBytes: 5 * MiB })).toEqual({ sse: 'aws:kms', kmsKeyId: 'k', partSizeBytes: 5 * MiB });
    expect(() => parseS3Options({ partSizeBytes: MiB })).toThrow(/partSizeBytes/);
    expect(() => parseS3Options({ kmsKeyId: 'k' })).toThrow(/kmsKeyId: needs sse 'aws:kms'/);
    expect(() => parseS3Options({ sse: 'DES' })).toThrow(/sse/);
    expect(() => parseS3Options({ endpoint: 'localhost:9000' })).toThrow(/endpoint/);
    expect(() => parseS3Options({ bucket: 'x' })).toThrow(UsageError);
  });
});
