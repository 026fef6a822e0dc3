// Values provided by global-setup.ts to the e2e tests: `inject('sourceUrl')` etc.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** source TSD (auto-create metrics, chunked requests, max_chunk 1 MiB); '' when skipped */
    sourceUrl: string;
    /** target TSD (OpenTSDB defaults); '' when skipped */
    targetUrl: string;
    /** true when Java/Maven are missing outside CI: e2e tests must skip */
    e2eSkipped: boolean;
    /** S3Proxy (path-style, aws-v2-or-v4 auth), or null when not started */
    s3: {
      endpoint: string;
      bucket: string;
      accessKeyId: string;
      secretAccessKey: string;
      region: string;
    } | null;
    /**
     * What starting an extra TSD on the harness's HBase takes (`startExtraTsd(inject('tsdLaunch'), 'source')`
     * of extra-tsd.ts): java, classpath, ZooKeeper port, work dir, heap. null when skipped, or when a
     * sandbox is reused without TSDB_E2E_WORK_DIR.
     */
    tsdLaunch: {
      java: string;
      classpath: string;
      zkPort: number;
      workDir: string;
      heapMb: number;
    } | null;
  }
}
