// Resolves the JVM classpaths of the harness with Maven (java/*/pom.xml), cached in target/.
// A second start does not run Maven at all when nothing changed (stamp = hash of poms + sources).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HARNESS_DIR = dirname(fileURLToPath(import.meta.url));
export const TARGET_DIR = join(HARNESS_DIR, 'target');

export interface Classpaths {
  /** Watchdog classes, first on every classpath. */
  launcher: string;
  /** HBase standalone + the table-creating launcher. */
  hbase: string;
  /** OpenTSDB 2.4.1 (TSDMain). */
  tsd: string;
  /** S3Proxy. */
  s3proxy: string;
  /** true when Maven ran (cold or changed), false when the cached result was used. */
  ranMaven: boolean;
  ms: number;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** Hash of everything Maven reads: the poms and the Java sources/resources. */
function inputsHash(): string {
  const files = [join(HARNESS_DIR, 'pom.xml'), ...listFiles(join(HARNESS_DIR, 'java'))].sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(relative(HARNESS_DIR, f));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

function readClasspath(module: string): string | undefined {
  const file = join(TARGET_DIR, module, 'classpath.txt');
  if (!existsSync(file)) return undefined;
  const cp = readFileSync(file, 'utf8').trim();
  // a cleaned ~/.m2 invalidates the cache
  for (const jar of cp.split(':')) if (jar && !existsSync(jar)) return undefined;
  return cp;
}

function cached(hash: string): Omit<Classpaths, 'ranMaven' | 'ms'> | undefined {
  const stamp = join(TARGET_DIR, 'inputs.sha256');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== hash) return undefined;
  const launcher = join(TARGET_DIR, 'launcher', 'classes');
  const hbaseClasses = join(TARGET_DIR, 'hbase', 'classes');
  if (!existsSync(join(launcher, 'tsdbbackup/harness/Watchdog.class'))) return undefined;
  if (!existsSync(join(hbaseClasses, 'tsdbbackup/harness/HBaseStandalone.class'))) return undefined;
  const hbase = readClasspath('hbase');
  const tsd = readClasspath('tsd');
  const s3proxy = readClasspath('s3proxy');
  if (!hbase || !tsd || !s3proxy) return undefined;
  return { launcher, hbase: `${hbaseClasses}:${hbase}`, tsd, s3proxy };
}

export async function runQuiet(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<{ code: number | null; output: string }> {
  return await new Promise((resolve) => {
    let output = '';
    let child;
    try {
      child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ code: null, output: String(err) });
      return;
    }
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      resolve({ code: null, output: output + String(err) });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export async function resolveClasspaths(log: (line: string) => void): Promise<Classpaths> {
  const t0 = Date.now();
  const hash = inputsHash();
  const hit = cached(hash);
  if (hit) return { ...hit, ranMaven: false, ms: Date.now() - t0 };

  log('resolving JVM classpaths with Maven (first run downloads ~200 MB into ~/.m2)...');
  const { code, output } = await runQuiet('mvn', ['-q', '-B', '-Dstyle.color=never', 'compile'], { cwd: HARNESS_DIR, timeoutMs: 15 * 60_000 });
  if (code !== 0) {
    const tail = output.trim().split('\n').slice(-30).join('\n');
    throw new Error(`mvn compile in ${HARNESS_DIR} failed (exit ${code}):\n${tail}`);
  }
  writeFileSync(join(TARGET_DIR, 'inputs.sha256'), hash + '\n');
  const result = cached(hash);
  if (!result) throw new Error(`Maven ran but ${TARGET_DIR} lacks classpath.txt or classes`);
  return { ...result, ranMaven: true, ms: Date.now() - t0 };
}
