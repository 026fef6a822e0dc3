// A real OpenTSDB 2.4.1 pair (source + target) on one standalone HBase 2.6, plus an optional
// S3Proxy, for the end-to-end tests and the sandbox. See README.md in this folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portsFrom, tableSpecs, tablesFor, writeHBaseConfig, writeS3Config, type Ports, type S3Info } from './configs.js';
import { resolveClasspaths, runQuiet } from './maven.js';
import { COMMON_JVM, JvmProcess, waitForHttp } from './processes.js';
import { spawnTsd, TSD_START_TIMEOUT_MS, waitForTsd, type TsdLaunch } from './tsd-process.js';

export type { S3Info } from './configs.js';
export type { TsdLaunch } from './tsd-process.js';

/** The file in the work dir that holds the TsdLaunch (for a test run that reuses a sandbox). */
export const TSD_LAUNCH_FILE = 'tsd-launch.json';

export interface MemoryUse {
  rssMb: number;
  peakRssMb: number;
}

export interface HarnessStats {
  /** wall time of startHarness() */
  totalMs: number;
  mavenMs: number;
  /** false when the cached classpaths were used */
  ranMaven: boolean;
  /** HBase JVM start until the tables exist */
  hbaseMs: number;
  sourceMs: number;
  targetMs: number;
  s3Ms?: number;
  /** per JVM, right after start-up */
  memory: Record<string, MemoryUse>;
}

export interface Harness {
  sourceUrl: string;
  targetUrl: string;
  s3?: S3Info;
  stop(): Promise<void>;
  /** where configs, data and logs live (hbase/, source/, target/, s3/, *.log) */
  workDir: string;
  /** what starting another TSD on the same HBase and tables takes (extra-tsd.ts) */
  tsdLaunch: TsdLaunch;
  ports: Ports;
  stats: HarnessStats;
  /** current RSS of each JVM */
  memory(): Record<string, MemoryUse>;
}

export interface HarnessOptions {
  /** first of 6 consecutive ports (source, target, ZooKeeper, HBase master, region server, S3) */
  basePort?: number;
  workDir?: string;
  log?: (line: string) => void;
  withS3?: boolean;
  /** JVM heaps: the defaults suit the e2e suite; the benchmark's millions of points need more. */
  hbaseHeapMb?: number;
  tsdHeapMb?: number;
}

const DEFAULT_BASE_PORT = 14242;
const HBASE_START_TIMEOUT_MS = Number(process.env.TSDB_E2E_HBASE_TIMEOUT_MS ?? 240_000);

// What bin/hbase of HBase 2.6 passes on JDK 11+, plus java.util(.concurrent) for hadoop.
const HBASE_JVM = [
  '-Xms128m',
  ...COMMON_JVM,
  '-Dorg.apache.hbase.thirdparty.io.netty.tryReflectionSetAccessible=true',
  '--add-modules',
  'jdk.unsupported',
  '--add-opens',
  'java.base/java.nio=ALL-UNNAMED',
  '--add-opens',
  'java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.lang=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.lang.reflect=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.util=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-exports',
  'java.base/jdk.internal.misc=ALL-UNNAMED',
  '--add-exports',
  'java.security.jgss/sun.security.krb5=ALL-UNNAMED',
  '--add-exports',
  'java.base/sun.net.dns=ALL-UNNAMED',
  '--add-exports',
  'java.base/sun.net.util=ALL-UNNAMED',
];

const S3_JVM = ['-Xms32m', '-Xmx256m', ...COMMON_JVM];

/** The java binary: $TSDB_E2E_JAVA, else $JAVA_HOME/bin/java, else java on PATH. */
export function javaBinary(): string {
  if (process.env.TSDB_E2E_JAVA) return process.env.TSDB_E2E_JAVA;
  if (process.env.JAVA_HOME) return join(process.env.JAVA_HOME, 'bin', 'java');
  return 'java';
}

/** Why the harness cannot run here (no java >= 17 or no mvn), or undefined when it can. */
export async function javaProblem(): Promise<string | undefined> {
  const [java, mvn] = await Promise.all([runQuiet(javaBinary(), ['-version'], { timeoutMs: 30_000 }), runQuiet('mvn', ['-v'], { timeoutMs: 60_000 })]);
  if (java.code !== 0) return `no usable java (${javaBinary()} -version failed)`;
  const major = /version "(\d+)/.exec(java.output)?.[1];
  if (!major || Number(major) < 17) return `java ${major ?? '?'} found, 17+ needed`;
  if (mvn.code !== 0) return 'no usable mvn (mvn -v failed)';
  return undefined;
}

/** false when no java (17+) or mvn is on PATH. */
export async function javaAvailable(): Promise<boolean> {
  return (await javaProblem()) === undefined;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    // no host: binds the wildcard address, so it also fails if the port is taken on 127.0.0.1
    srv.listen({ port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

async function busyPorts(ports: Ports): Promise<number[]> {
  const all = Object.values(ports);
  const free = await Promise.all(all.map(portFree));
  return all.filter((_, i) => !free[i]);
}

async function choosePorts(explicit: number | undefined, log: (l: string) => void): Promise<Ports> {
  const fromEnv = process.env.TSDB_E2E_BASE_PORT ? Number(process.env.TSDB_E2E_BASE_PORT) : undefined;
  const base = explicit ?? fromEnv;
  if (base !== undefined) {
    const ports = portsFrom(base);
    const busy = await busyPorts(ports);
    if (busy.length) throw new Error(`e2e harness: port(s) ${busy.join(', ')} already in use (basePort ${base})`);
    return ports;
  }
  // default: first free block of 6 from 14242, in steps of 10
  for (let b = DEFAULT_BASE_PORT; b < DEFAULT_BASE_PORT + 200; b += 10) {
    const ports = portsFrom(b);
    const busy = await busyPorts(ports);
    if (!busy.length) return ports;
    log(`ports ${busy.join(', ')} in use, trying base port ${b + 10}`);
  }
  throw new Error(`e2e harness: no free block of ports in ${DEFAULT_BASE_PORT}..${DEFAULT_BASE_PORT + 200}`);
}

function mb(kb: number): number {
  return Math.round(kb / 102.4) / 10;
}

function memoryOf(procs: JvmProcess[]): Record<string, MemoryUse> {
  const out: Record<string, MemoryUse> = {};
  for (const p of procs) {
    const m = p.memory();
    if (m) out[p.name] = { rssMb: mb(m.rssKb), peakRssMb: mb(m.peakKb) };
  }
  return out;
}

function formatMemory(m: Record<string, MemoryUse>): string {
  return Object.entries(m)
    .map(([n, u]) => `${n} ${u.rssMb} MB (peak ${u.peakRssMb})`)
    .join(', ');
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const t0 = Date.now();
  const log = opts.log ?? ((line: string) => console.error(`[e2e-harness] ${line}`));
  const problem = await javaProblem();
  if (problem) throw new Error(`e2e harness: ${problem}`);
  const java = javaBinary();

  const [cp, ports] = await Promise.all([resolveClasspaths(log), choosePorts(opts.basePort, log)]);
  log(`classpaths ${cp.ranMaven ? 'resolved by Maven' : 'cached'} in ${secs(cp.ms)}`);

  const createdWorkDir = opts.workDir === undefined;
  const workDir = opts.workDir ?? mkdtempSync(join(tmpdir(), 'tsdb-e2e-'));
  log(
    `work dir ${workDir}; ports: source ${ports.source}, target ${ports.target}, zookeeper ${ports.zookeeper}, hbase ${ports.hbaseMaster}/${ports.hbaseRegionServer}${opts.withS3 ? `, s3 ${ports.s3}` : ''}`,
  );

  const procs: JvmProcess[] = [];
  const stopAll = async (): Promise<void> => {
    // TSDs and S3 first (they are HBase's clients), HBase last
    const hbase = procs.filter((p) => p.name === 'hbase');
    await Promise.all(procs.filter((p) => p.name !== 'hbase').map((p) => p.stop(5_000)));
    await Promise.all(hbase.map((p) => p.stop(15_000)));
  };

  try {
    const hbaseDir = join(workDir, 'hbase');
    const hbaseConf = writeHBaseConfig(hbaseDir, ports);
    const hbase = new JvmProcess({
      name: 'hbase',
      java,
      jvmArgs: [`-Xmx${opts.hbaseHeapMb ?? 768}m`, ...HBASE_JVM],
      classpath: `${hbaseConf}:${cp.launcher}:${cp.hbase}`,
      mainClass: 'tsdbbackup.harness.HBaseStandalone',
      args: [...tableSpecs(tablesFor('tsdb-source')), ...tableSpecs(tablesFor('tsdb-target'))],
      cwd: hbaseDir,
      logFile: join(workDir, 'hbase.log'),
    });
    procs.push(hbase);

    let s3: { info: S3Info; ready: Promise<number> } | undefined;
    if (opts.withS3) {
      const s3Dir = join(workDir, 's3');
      const { file, info } = writeS3Config(s3Dir, ports.s3);
      const proc = new JvmProcess({
        name: 's3proxy',
        java,
        jvmArgs: [...S3_JVM, `-Dlogback.configurationFile=${join(s3Dir, 'logback.xml')}`],
        classpath: `${cp.launcher}:${cp.s3proxy}`,
        mainClass: 'org.gaul.s3proxy.Main',
        args: ['--properties', file],
        cwd: s3Dir,
        logFile: join(workDir, 's3proxy.log'),
      });
      procs.push(proc);
      // any HTTP answer means Jetty serves; anonymous GET / is 403 with auth on
      const ready = waitForHttp(proc, `${info.endpoint}/`, (s) => s > 0, TSD_START_TIMEOUT_MS).then(() => Date.now() - proc.startedAt);
      ready.catch(() => undefined); // awaited below
      s3 = { info, ready };
    }

    await hbase.waitForLine(/HARNESS-HBASE-READY/, HBASE_START_TIMEOUT_MS, /HARNESS-HBASE-(FAILED|MASTER-EXITED)/);
    const hbaseMs = Date.now() - hbase.startedAt;
    log(`hbase ready (tables created) in ${secs(hbaseMs)}`);

    const tsdLaunch: TsdLaunch = { java, classpath: `${cp.launcher}:${cp.tsd}`, zkPort: ports.zookeeper, workDir, heapMb: opts.tsdHeapMb ?? 512 };
    writeFileSync(join(workDir, TSD_LAUNCH_FILE), `${JSON.stringify(tsdLaunch, null, 2)}\n`);
    const source = spawnTsd(tsdLaunch, { name: 'source', side: 'source', port: ports.source });
    procs.push(source);
    const target = spawnTsd(tsdLaunch, { name: 'target', side: 'target', port: ports.target });
    procs.push(target);
    const sourceUrl = `http://127.0.0.1:${ports.source}`;
    const targetUrl = `http://127.0.0.1:${ports.target}`;
    const [sourceMs, targetMs, s3Ms] = await Promise.all([waitForTsd(source, sourceUrl), waitForTsd(target, targetUrl), s3?.ready]);
    log(
      `TSDs ready: source ${sourceUrl} in ${secs(sourceMs)}, target ${targetUrl} in ${secs(targetMs)}${s3 ? `; s3 ${s3.info.endpoint} in ${secs(s3Ms ?? 0)}` : ''}`,
    );

    const memory = memoryOf(procs);
    const stats: HarnessStats = {
      totalMs: Date.now() - t0,
      mavenMs: cp.ms,
      ranMaven: cp.ranMaven,
      hbaseMs,
      sourceMs,
      targetMs,
      ...(s3Ms !== undefined ? { s3Ms } : {}),
      memory,
    };
    log(`harness up in ${secs(stats.totalMs)} (maven ${cp.ranMaven ? '' : 'cached '}${secs(cp.ms)}); RSS: ${formatMemory(memory)}`);

    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopped ??= (async () => {
        const t1 = Date.now();
        log(`stopping; RSS before stop: ${formatMemory(memoryOf(procs))}`);
        await stopAll();
        const left = procs.filter((p) => p.groupAlive()).map((p) => `${p.name} (pgid ${p.pid})`);
        if (left.length) throw new Error(`e2e harness: still running after stop: ${left.join(', ')}`);
        if (createdWorkDir && process.env.TSDB_E2E_KEEP !== '1') {
          rmSync(workDir, { recursive: true, force: true });
        }
        log(
          `stopped in ${secs(Date.now() - t1)}; no harness process left${createdWorkDir && process.env.TSDB_E2E_KEEP !== '1' ? '' : `; logs kept in ${workDir}`}`,
        );
      })();
      return stopped;
    };

    return {
      sourceUrl,
      targetUrl,
      ...(s3 ? { s3: s3.info } : {}),
      stop,
      workDir,
      tsdLaunch,
      ports,
      stats,
      memory: () => memoryOf(procs),
    };
  } catch (err) {
    await stopAll().catch(() => undefined);
    const e = err as Error;
    e.message = `e2e harness failed to start (logs kept in ${workDir}): ${e.message}`;
    throw e;
  }
}
