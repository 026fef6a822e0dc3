// The S3 workflow against s3rver and the fake TSD.

import { afterAll, beforeAll, describe } from 'vitest';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { s3WorkflowScenario } from '../scenarios/s3-workflow.js';

describe('S3 repositories (s3rver, fake TSD)', () => {
  let s3: S3TestServer;
  let source: FakeTsd;
  let target: FakeTsd;
  const saved = { ...process.env };
  beforeAll(async () => {
    s3 = await startS3Server();
    source = await startFakeTsd({ autoCreateMetrics: true, enableChunked: true, maxChunk: 1 << 20 });
    target = await startFakeTsd();
    // The CLI takes credentials from the AWS SDK's default chain, as in production.
    process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
  });
  afterAll(async () => {
    process.env = saved;
    await Promise.all([s3?.stop(), source?.close(), target?.close()]);
  });
  s3WorkflowScenario('s3rver', async () => ({
    sourceUrl: source.url,
    targetUrl: target.url,
    s3: { endpoint: s3.endpoint, bucket: s3.bucket },
    prefix: 's3wf',
    now: Date.UTC(2026, 5, 1, 12),
  }));
});
