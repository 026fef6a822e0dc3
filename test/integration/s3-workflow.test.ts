// The S3 workflow against s3rver and the fake TSD.

import { describe } from 'vitest';
import { s3WorkflowScenario } from '../scenarios/s3-workflow.js';
import { useS3AndFakeTsds } from '../support/s3-and-fake-tsds.js';

describe('S3 repositories (s3rver, fake TSD)', () => {
  const env = useS3AndFakeTsds();
  s3WorkflowScenario('s3rver', async () => ({
    sourceUrl: env().source.url,
    targetUrl: env().target.url,
    s3: { endpoint: env().s3.endpoint, bucket: env().s3.bucket },
    prefix: 's3wf',
    now: Date.UTC(2026, 5, 1, 12),
  }));
});
