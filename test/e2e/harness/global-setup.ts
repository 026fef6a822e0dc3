// Vitest global setup of the e2e project: one harness (HBase + source/target TSDs + S3Proxy) for the
// whole run, stopped in teardown (also when tests fail). Without Java/Maven the suite is skipped,
// except in CI (CI=true), where that is an error.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { javaProblem, startHarness, TSD_LAUNCH_FILE, type TsdLaunch } from './harness.js';

/** The launch facts of a sandbox whose work dir is given (TSDB_E2E_WORK_DIR), for extra TSDs. */
function sandboxLaunch(): TsdLaunch | null {
  const dir = process.env.TSDB_E2E_WORK_DIR;
  if (!dir || !existsSync(join(dir, TSD_LAUNCH_FILE))) return null;
  return JSON.parse(readFileSync(join(dir, TSD_LAUNCH_FILE), 'utf8')) as TsdLaunch;
}

export default async function setup({ provide }: TestProject): Promise<(() => Promise<void>) | undefined> {
  // A developer's running sandbox (`npm run sandbox`) can serve a run of chosen files: no second harness.
  const reuse = { source: process.env.TSDB_E2E_SOURCE_URL, target: process.env.TSDB_E2E_TARGET_URL };
  if (reuse.source && reuse.target && process.env.CI !== 'true') {
    provide('e2eSkipped', false);
    provide('sourceUrl', reuse.source);
    provide('targetUrl', reuse.target);
    provide('s3', null);
    provide('tsdLaunch', sandboxLaunch());
    return undefined;
  }
  const problem = await javaProblem();
  if (problem) {
    if (process.env.CI === 'true') {
      throw new Error(`e2e: ${problem}; CI must run the e2e suite (install a JDK 17+ and Maven)`);
    }
    console.warn(`e2e suite skipped: Java/Maven missing (${problem})`);
    provide('e2eSkipped', true);
    provide('sourceUrl', '');
    provide('targetUrl', '');
    provide('s3', null);
    provide('tsdLaunch', null);
    return undefined;
  }

  const harness = await startHarness({ withS3: process.env.TSDB_E2E_S3 !== '0' });
  provide('e2eSkipped', false);
  provide('sourceUrl', harness.sourceUrl);
  provide('targetUrl', harness.targetUrl);
  provide('s3', harness.s3 ?? null);
  provide('tsdLaunch', harness.tsdLaunch);
  return async () => {
    await harness.stop();
  };
}
