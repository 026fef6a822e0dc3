// The S3 workflow against S3Proxy (a real S3 API server from Maven Central) and the real OpenTSDB,
// and the storage conformance suite against S3Proxy.

import { afterAll, beforeAll, describe, inject } from 'vitest';
import { S3Storage } from '../../src/storage/s3-storage.js';
import { createS3Client } from '../../src/storage/s3-client.js';
import { s3WorkflowScenario } from '../scenarios/s3-workflow.js';
import { abortRightAfterStart, storageSuite } from '../storage/storage-suite.js';

const s3 = inject('s3');

describe.runIf(!inject('e2eSkipped') && s3 !== null)('S3 repositories on S3Proxy', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = s3!.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = s3!.secretAccessKey;
  });
  afterAll(() => {
    process.env = saved;
  });

  s3WorkflowScenario('S3Proxy', async () => ({
    sourceUrl: inject('sourceUrl'),
    targetUrl: inject('targetUrl'),
    s3: { endpoint: s3!.endpoint, bucket: s3!.bucket },
    prefix: 'e2e.s3',
    now: Date.UTC(2026, 7, 1, 12),
  }));

  let run = 0;
  storageSuite('S3Storage (S3Proxy)', {
    create: async () => {
      const options = { endpoint: s3!.endpoint, region: s3!.region, forcePathStyle: true };
      const client = createS3Client(options, { credentials: { accessKeyId: s3!.accessKeyId, secretAccessKey: s3!.secretAccessKey } });
      return new S3Storage(client, s3!.bucket, `conformance-${Date.now()}-${run++}`, options);
    },
    cleanup: async (storage) => {
      for await (const o of storage.list('')) await storage.delete(o.key);
    },
    interruptPut: abortRightAfterStart,
  });
});
