// For a describe block: s3rver, a source fake TSD configured like production and a default target,
// with the AWS SDK's credential variables set for the CLI (as in production) and restored after.

import { afterAll, beforeAll } from 'vitest';
import { startFakeTsd, type FakeTsd } from './fake-tsd/index.js';
import { startS3Server, type S3TestServer } from './s3-server.js';

export interface S3AndFakeTsds {
  s3: S3TestServer;
  source: FakeTsd;
  target: FakeTsd;
}

export function useS3AndFakeTsds(): () => S3AndFakeTsds {
  let env: S3AndFakeTsds | undefined;
  const saved = { ...process.env };
  beforeAll(async () => {
    const s3 = await startS3Server();
    const source = await startFakeTsd({ autoCreateMetrics: true, enableChunked: true, maxChunk: 1 << 20 });
    const target = await startFakeTsd();
    process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
    env = { s3, source, target };
  });
  afterAll(async () => {
    process.env = saved;
    await Promise.all([env?.s3.stop(), env?.source.close(), env?.target.close()]);
  });
  return () => env!;
}
