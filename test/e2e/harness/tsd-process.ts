// How a harness TSD is launched: the JVM flags, the config of each side (source, target) and the wait
// until it serves. The harness starts the shared source and target with it; a test file starts extra
// TSDs on the same HBase tables with the same launch facts (extra-tsd.ts), which global-setup.ts
// provides as `tsdLaunch`.
import { join } from 'node:path';
import { SOURCE_SETTINGS, TARGET_SETTINGS, tablesFor, writeTsdConfig, type TsdSettings } from './configs.js';
import { COMMON_JVM, JvmProcess, waitForHttp } from './processes.js';

export type TsdSide = 'source' | 'target';

/** Everything a process needs to start a TSD against the harness's HBase: plain data, so it can be `provide`d. */
export interface TsdLaunch {
  java: string;
  /** launcher (Watchdog) classes + OpenTSDB 2.4.1 and its dependencies */
  classpath: string;
  /** ZooKeeper of the harness's HBase (quorum 127.0.0.1:<zkPort>) */
  zkPort: number;
  /** the harness work dir: configs and logs of extra TSDs go below it */
  workDir: string;
  heapMb: number;
}

export const TSD_START_TIMEOUT_MS = Number(process.env.TSDB_E2E_TSD_TIMEOUT_MS ?? 90_000);

// OpenTSDB 2.4.1 runs on JDK 17 as is; the export only matters for the expression iterators,
// which throw sun.reflect...NotImplementedException from remove().
const TSD_JVM = ['-Xms64m', ...COMMON_JVM, '--add-exports', 'java.base/sun.reflect.generics.reflectiveObjects=ALL-UNNAMED'];

export const SIDE_SETTINGS: Record<TsdSide, TsdSettings> = { source: SOURCE_SETTINGS, target: TARGET_SETTINGS };

export interface TsdSpec {
  /** names the config dir (<workDir>/<name>/) and the log (<workDir>/<name>.log) */
  name: string;
  side: TsdSide;
  port: number;
  /** opentsdb.conf settings on top of the side's */
  overrides?: TsdSettings;
}

/** Writes the TSD's config and starts it (not yet ready: see waitForTsd). */
export function spawnTsd(launch: TsdLaunch, spec: TsdSpec): JvmProcess {
  const dir = join(launch.workDir, spec.name);
  const conf = writeTsdConfig(dir, {
    name: spec.name,
    port: spec.port,
    zkPort: launch.zkPort,
    tables: tablesFor(`tsdb-${spec.side}`),
    settings: { ...SIDE_SETTINGS[spec.side], ...spec.overrides },
  });
  return new JvmProcess({
    name: spec.name,
    java: launch.java,
    jvmArgs: [`-Xmx${launch.heapMb}m`, ...TSD_JVM, `-Dlogback.configurationFile=${join(dir, 'logback.xml')}`],
    classpath: launch.classpath,
    mainClass: 'net.opentsdb.tools.TSDMain',
    args: ['--config', conf],
    cwd: dir,
    logFile: join(launch.workDir, `${spec.name}.log`),
  });
}

/** Waits until the TSD answers /api/version and a suggest (a UID table scan in HBase); returns ms since its start. */
export async function waitForTsd(proc: JvmProcess, url: string): Promise<number> {
  await waitForHttp(proc, `${url}/api/version`, (s) => s === 200, TSD_START_TIMEOUT_MS);
  await waitForHttp(proc, `${url}/api/suggest?type=metrics&q=&max=1`, (s) => s === 200, TSD_START_TIMEOUT_MS);
  return Date.now() - proc.startedAt;
}
