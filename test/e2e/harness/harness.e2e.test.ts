// Smoke test of the e2e harness itself: two real OpenTSDB 2.4.1 TSDs, configured as documented.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';

const skipped = inject('e2eSkipped');
// git commit of the v2.4.1 release: the Maven Central jar reports version "BuildData"
const OPENTSDB_2_4_1_COMMIT = 'eb125a342040376450dd155fe600ff7d4b9c0eec';

async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
  return { status: res.status, text: await res.text() };
}

function point(metric: string, timestamp: number, value: number | string, host = 'a'): object {
  return { metric, timestamp, value, tags: { host } };
}

/** A JSON array of points padded with spaces to exactly `bytes` bytes. */
function bodyOfSize(metric: string, bytes: number, t0: number): string {
  const points: string[] = [];
  for (let i = 0; ; i++) {
    const next = JSON.stringify(point(metric, t0 + i, i));
    if (`[${[...points, next].join(',')}]`.length > bytes) break;
    points.push(next);
  }
  const body = `[${points.join(',')}]`;
  return `${body.slice(0, -1)}${' '.repeat(bytes - body.length)}]`;
}

describe.skipIf(skipped)('e2e harness', () => {
  const source = inject('sourceUrl');
  const target = inject('targetUrl');

  it('both TSDs answer /api/version as OpenTSDB 2.4.1', async () => {
    for (const url of [source, target]) {
      const res = await fetch(`${url}/api/version`);
      expect(res.status).toBe(200);
      const v = (await res.json()) as { version: string; full_revision: string };
      expect(v.version === '2.4.1' || v.full_revision === OPENTSDB_2_4_1_COMMIT).toBe(true);
    }
  });

  it('source is configured like production, target with the defaults', async () => {
    const cfg = async (url: string): Promise<Record<string, string>> => (await (await fetch(`${url}/api/config`)).json()) as Record<string, string>;
    const s = await cfg(source);
    expect(s['tsd.core.auto_create_metrics']).toBe('true');
    expect(s['tsd.http.request.enable_chunked']).toBe('true');
    expect(s['tsd.http.request.max_chunk']).toBe('1048576');
    const t = await cfg(target);
    expect(t['tsd.core.auto_create_metrics']).toBe('false');
    expect(t['tsd.http.request.enable_chunked']).toBe('false');
    expect(t['tsd.http.request.max_chunk']).toBe('4096');
    expect(s['tsd.storage.hbase.data_table']).not.toBe(t['tsd.storage.hbase.data_table']);
    // every harness TSD allows delete queries (test/support/delete-range.ts)
    expect([s['tsd.http.query.allow_delete'], t['tsd.http.query.allow_delete']]).toEqual(['true', 'true']);
  });

  it('writes a point to the source and reads it back', async () => {
    const ts = 1_700_000_000_123;
    const put = await post(`${source}/api/put?details&sync`, JSON.stringify([point('harness.smoke', ts, '1.5')]));
    expect(put.status).toBe(200);
    expect(JSON.parse(put.text)).toEqual({ success: 1, failed: 0, errors: [] });
    const q = await post(
      `${source}/api/query?arrays`,
      JSON.stringify({ start: ts - 1000, end: ts + 1000, msResolution: true, queries: [{ aggregator: 'none', metric: 'harness.smoke' }] }),
    );
    expect(q.status).toBe(200);
    expect(q.text).toBe('[{"metric":"harness.smoke","tags":{"host":"a"},"aggregateTags":[],"dps":[[1700000000123,1.5]]}]');
  });

  it('target does not auto-create metrics', async () => {
    const put = await post(`${target}/api/put?details&sync`, JSON.stringify(point('harness.unknown', 1_700_000_000, 1)));
    expect(put.status).toBe(400);
    expect(JSON.parse(put.text)).toMatchObject({ success: 0, failed: 1, errors: [{ error: 'Unknown metric' }] });
  });

  it('target accepts 8192-byte bodies and rejects 8193 bytes (no chunked requests)', async () => {
    const assign = await post(`${target}/api/uid/assign`, JSON.stringify({ metric: ['harness.size'] }));
    expect([200, 400]).toContain(assign.status); // 400 when it already exists
    const ok = await post(`${target}/api/put?summary&sync`, bodyOfSize('harness.size', 8192, 1_700_000_000));
    expect(ok.status).toBe(200);
    const tooBig = await post(`${target}/api/put?summary&sync`, bodyOfSize('harness.size', 8193, 1_700_100_000));
    expect(tooBig.status).toBe(400);
    expect(tooBig.text).toContain('Chunked request not supported');
  });

  it('S3Proxy stores and returns an object', async (ctx) => {
    const s3info = inject('s3');
    if (!s3info) return ctx.skip();
    const s3 = new S3Client({
      endpoint: s3info.endpoint,
      region: s3info.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3info.accessKeyId, secretAccessKey: s3info.secretAccessKey },
      // S3Proxy answers 501 to the SDK's default x-amz-checksum-crc32 header
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    try {
      await s3.send(new PutObjectCommand({ Bucket: s3info.bucket, Key: 'harness/smoke.txt', Body: 'hello' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: s3info.bucket, Key: 'harness/smoke.txt' }));
      expect(await got.Body?.transformToString()).toBe('hello');
    } finally {
      s3.destroy();
    }
  });
});
