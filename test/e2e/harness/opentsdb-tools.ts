// OpenTSDB's own command-line tools run against the harness's HBase, as `tsdb import` and `tsdb scan --import`
// run them: net.opentsdb.tools.TextImporter (load `metric timestamp value tagk=tagv` lines) and
// net.opentsdb.tools.DumpSeries (print them straight from HBase). They are the native baseline that
// export's import format is checked against, and that benchmarks compare speed with. Each run gets the
// config of a side (source or target tables) in <workDir>/<name>/.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SIDE_SETTINGS } from './tsd-process.js';
import { tablesFor, writeTsdConfig, type TsdSettings } from './configs.js';
import { COMMON_JVM } from './processes.js';
import type { TsdLaunch, TsdSide } from './tsd-process.js';

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface ToolOptions {
  /** opentsdb.conf settings on top of the side's */
  overrides?: TsdSettings;
  /** names the config dir (default `<tool>-<side>`) */
  name?: string;
  /** ends the JVM (SIGKILL) after this long; default 10 minutes */
  timeoutMs?: number;
}

function runTool(launch: TsdLaunch, side: TsdSide, mainClass: string, args: string[], opts: ToolOptions): Promise<ToolRun> {
  const name = opts.name ?? `${mainClass.split('.').at(-1)!.toLowerCase()}-${side}`;
  const dir = join(launch.workDir, name);
  // The tools open no port; the config's port is only read by a TSD.
  const conf = writeTsdConfig(dir, {
    name,
    port: 0,
    zkPort: launch.zkPort,
    tables: tablesFor(`tsdb-${side}`),
    settings: { ...SIDE_SETTINGS[side], ...opts.overrides },
  });
  // UTF-8 explicitly: the importer reads its input with the platform charset, which is ASCII under a C locale
  // before JDK 18 (a Unicode tag value would be read as '?').
  const jvm = ['-Xmx256m', ...COMMON_JVM, '-Dfile.encoding=UTF-8', `-Dlogback.configurationFile=${join(dir, 'logback.xml')}`];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(launch.java, [...jvm, '-cp', launch.classpath, mainClass, '--config', conf, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, durationMs: Date.now() - started });
    });
  });
}

/** `tsdb import [--auto-metric] FILE...` into the tables of `side` (a `.gz` file is read compressed). */
export function runTextImporter(launch: TsdLaunch, side: TsdSide, files: string[], opts: ToolOptions & { autoMetric?: boolean } = {}): Promise<ToolRun> {
  return runTool(launch, side, 'net.opentsdb.tools.TextImporter', [...(opts.autoMetric ? ['--auto-metric'] : []), ...files], opts);
}

/**
 * `tsdb scan --import START END none METRIC [none METRIC2 ...]`: every stored cell of the metric(s) in the hour
 * rows of [start, end] (epoch seconds), printed on stdout as `tsdb import` lines.
 */
export function runDumpSeries(
  launch: TsdLaunch,
  side: TsdSide,
  q: { startSec: number; endSec: number; metric: string | string[] },
  opts: ToolOptions = {},
): Promise<ToolRun> {
  const queries = (Array.isArray(q.metric) ? q.metric : [q.metric]).flatMap((m) => ['none', m]);
  return runTool(launch, side, 'net.opentsdb.tools.DumpSeries', ['--import', String(q.startSec), String(q.endSec), ...queries], opts);
}
