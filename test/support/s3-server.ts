// An S3 server for tests: s3rver in-process on 127.0.0.1, a random port and a temporary directory,
// with one bucket.
//
// s3rver's filesystem store is not safe under concurrent requests: a PUT writes the object file in
// place (a GET can read half of it), and a DELETE removes directories that became empty, racing a PUT
// into the same directory (an uncaught ENOENT that kills the test process). Real stores have neither
// problem, so the server here handles one request at a time.
//
// s3rver also lacks AbortMultipartUpload (405 MethodNotAllowed): the parts
// of an aborted multipart upload stay in its directory, but no object appears.
//
// s3rver encrypts ListObjectsV2 continuation tokens with DES, which the OpenSSL 3 in Node >= 17 refuses
// (jamhall/s3rver#818: every truncated listing fails with a 500). The token only has to round-trip
// through the client, so DES is swapped for an identity cipher (see allowS3rverContinuationTokens).

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type RequestListener } from 'node:http';
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

export async function startS3Server(opts: { bucket?: string } = {}): Promise<S3TestServer> {
  allowS3rverContinuationTokens();
  const bucket = opts.bucket ?? 'tsdb-backup-test';
  const directory = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-s3rver-'));
  const s3rver = new S3rver({ silent: true, directory, configureBuckets: [{ name: bucket }] });
  await s3rver.configureBuckets();
  const server = createServer(oneAtATime(s3rver.callback()));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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

/**
 * Serves requests strictly one after another, each to its end (or its client going away). A request
 * whose client went away while it waited its turn is skipped: its 'close' has fired already, so
 * waiting for it would stop the queue for good (seen when a restore aborted its other downloads).
 */
function oneAtATime(handle: RequestListener): RequestListener {
  let queue = Promise.resolve();
  return (req, res) => {
    let gone = false;
    const closed = new Promise<void>((resolve) =>
      res.once('close', () => {
        gone = true;
        resolve();
      }),
    );
    queue = queue.then(() => {
      if (gone) return;
      handle(req, res);
      return closed;
    });
  };
}
