// An S3 server for tests: s3rver in-process on 127.0.0.1, a random port and a temporary directory,
// with one bucket.
//
// s3rver ignores If-None-Match on PUT, so by default a thin front arbitrates `If-None-Match: *` PUTs
// the way AWS S3 does: 412 PreconditionFailed when the object exists, 409 ConditionalRequestConflict
// while another conditional PUT of the same key is in progress. Pass { conditionalWrites: false } to
// talk to s3rver as it is. s3rver also lacks AbortMultipartUpload (405 MethodNotAllowed): the parts
// of an aborted multipart upload stay in its directory, but no object appears.
//
// s3rver encrypts ListObjectsV2 continuation tokens with DES, which the OpenSSL 3 in Node >= 17 refuses
// (jamhall/s3rver#818: every truncated listing fails with a 500). The token only has to round-trip
// through the client, so DES is swapped for an identity cipher (see allowS3rverContinuationTokens).

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  stop(): Promise<void>;
}

// s3rver ships no types; this is the part of its documented API used here.
interface S3rverInstance {
  configureBuckets(): Promise<void>;
  callback(): RequestListener;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as S3rverClass;

let tokensAllowed = false;

/**
 * Makes crypto's 'des' (which OpenSSL 3 refuses anyway, and s3rver alone asks for) an identity cipher;
 * other algorithms are untouched. Wrapping twice (another test file in the same worker) is harmless.
 */
function allowS3rverContinuationTokens(): void {
  if (tokensAllowed) return;
  type CipherFactory = (algorithm: string, ...rest: unknown[]) => unknown;
  const crypto = require('node:crypto') as Record<'createCipheriv' | 'createDecipheriv', CipherFactory>;
  const identity = { update: (data: string | Buffer) => Buffer.from(data), final: () => Buffer.alloc(0) };
  for (const name of ['createCipheriv', 'createDecipheriv'] as const) {
    const original = crypto[name];
    crypto[name] = (algorithm, ...rest) => (algorithm === 'des' ? identity : original(algorithm, ...rest));
  }
  tokensAllowed = true;
}

export async function startS3Server(opts: { conditionalWrites?: boolean; bucket?: string } = {}): Promise<S3TestServer> {
  allowS3rverContinuationTokens();
  const bucket = opts.bucket ?? 'tsdb-backup-test';
  const directory = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-s3rver-'));
  const s3rver = new S3rver({ silent: true, directory, configureBuckets: [{ name: bucket }] });
  await s3rver.configureBuckets();
  const handle = s3rver.callback();
  let endpoint = '';
  const server = createServer(opts.conditionalWrites === false ? handle : arbitrateConditionalPuts(handle, () => endpoint));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const info = { endpoint, bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' };
  return {
    ...info,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function s3ErrorResponse(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

/**
 * Serves a `PUT /bucket/key` with `If-None-Match: *` only when no such object exists and no other such
 * PUT of the key is in progress; existence is asked of s3rver itself with an unsigned HEAD (s3rver
 * accepts those), and the check and the write are serialised per key in this process.
 */
function arbitrateConditionalPuts(handle: RequestListener, endpoint: () => string): RequestListener {
  const creating = new Set<string>();
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://s3rver');
    // a plain PutObject: the SDK adds only ?x-id=PutObject (an UploadPart has uploadId and partNumber)
    const putObject = req.method === 'PUT' && [...url.searchParams.keys()].every((k) => k === 'x-id') && !req.headers['x-amz-copy-source'];
    if (!putObject || req.headers['if-none-match'] !== '*') return handle(req, res);
    const object = url.pathname;
    if (creating.has(object)) return s3ErrorResponse(res, 409, 'ConditionalRequestConflict', 'A conflicting conditional operation is in progress');
    creating.add(object);
    res.once('close', () => creating.delete(object));
    fetch(endpoint() + object, { method: 'HEAD' }).then(
      (head) => {
        if (head.ok) s3ErrorResponse(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
        else handle(req, res);
      },
      (err: unknown) => s3ErrorResponse(res, 500, 'InternalError', String(err)),
    );
  };
}
