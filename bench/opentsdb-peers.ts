// OpenTSDB's own tools as the benchmark's peers (issue 12): `tsdb scan --import` (DumpSeries, reads HBase
// directly) for backup and `tsdb import` (TextImporter) for restore, run as the harness runs them
// (test/e2e/harness/opentsdb-tools.ts) and timed as whole JVM processes. A no-op run of each (a range with
// no data, an empty file) measures what a run costs before and after its work: JVM start-up, connecting to
// ZooKeeper and HBase, shutting down; subtracted, it gives the work alone, as tsdb-backup's figures are
// (measure-child.ts times the work, not node's start-up).
//
// Also what keeps the restore/import comparison fair: the target's names are created once beforehand
// (neither side pays for UID assignment), every run goes into a target emptied of the range (the restore's
// conflict check and the importer would otherwise meet the previous run's points), and every run is counted
// back from the target.

import { writeFileSync } from 'node:fs';
import { runDumpSeries, runTextImporter, type ToolRun } from '../test/e2e/harness/opentsdb-tools.js';
import type { TsdLaunch } from '../test/e2e/harness/tsd-process.js';
import { deleteRange } from '../test/support/delete-range.js';

export interface PeerRun {
  points: number;
  seconds: number;
}

function check(run: ToolRun, what: string): void {
  if (run.code !== 0) throw new Error(`${what} exited ${run.code}: ${run.stderr.slice(-2000)}`);
}

/** Lines that are points (`metric timestamp value tags`): the tool's log lines share its stdout. */
function pointLines(text: string, metrics: readonly string[]): number {
  const names = new Set(metrics);
  let n = 0;
  for (let from = 0; from < text.length;) {
    const eol = text.indexOf('\n', from);
    const to = eol < 0 ? text.length : eol;
    const space = text.indexOf(' ', from);
    if (space > from && space < to && names.has(text.slice(from, space))) n++;
    from = to + 1;
  }
  return n;
}

/** `tsdb scan --import START END none M1 none M2 ...` of the source: one JVM for all metrics, as an operator runs it. */
export async function scanPeer(launch: TsdLaunch, metrics: string[], startMs: number, endMs: number): Promise<PeerRun> {
  const startSec = Math.floor(startMs / 1000);
  const endSec = Math.ceil(endMs / 1000);
  const run = await runDumpSeries(launch, 'source', { startSec, endSec, metric: metrics }, { name: 'bench-scan' });
  check(run, 'tsdb scan --import');
  return { points: pointLines(run.stdout, metrics), seconds: run.durationMs / 1000 };
}

/** The same scan over an hour with no data: what a scan costs besides its work. */
export async function scanNoop(launch: TsdLaunch, metric: string): Promise<number> {
  const run = await runDumpSeries(launch, 'source', { startSec: 946_684_800, endSec: 946_688_400, metric }, { name: 'bench-scan-noop' });
  check(run, 'tsdb scan --import (no-op)');
  const printed = pointLines(run.stdout, [metric]);
  if (printed > 0) throw new Error(`the no-op scan printed ${printed} point(s)`);
  return run.durationMs / 1000;
}

/** `tsdb import FILE` into the target's tables (the names exist already: see assignNames). */
export async function importPeer(launch: TsdLaunch, file: string, lines: number): Promise<PeerRun> {
  const run = await runTextImporter(launch, 'target', [file], { name: 'bench-import' });
  check(run, 'tsdb import');
  return { points: lines, seconds: run.durationMs / 1000 };
}

/** `tsdb import` of an empty file: what an import costs besides its work. */
export async function importNoop(launch: TsdLaunch, emptyFile: string): Promise<number> {
  writeFileSync(emptyFile, '');
  const run = await runTextImporter(launch, 'target', [emptyFile], { name: 'bench-import-noop' });
  check(run, 'tsdb import (no-op)');
  return run.durationMs / 1000;
}

/** Creates the names in the target (400 "already exists" for some is fine), so no timed run assigns UIDs. */
export async function assignNames(url: string, names: { metric: string[]; tagk: string[]; tagv: string[] }): Promise<void> {
  const res = await fetch(`${url}/api/uid/assign`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(names) });
  const text = await res.text();
  if (res.status !== 200 && !(res.status === 400 && text.includes('already exists')))
    throw new Error(`uid assign on ${url} answered ${res.status}: ${text.slice(0, 300)}`);
}

/** Points of the metrics in [startMs, endMs] that the TSD holds (one count query per metric). */
export async function countPoints(url: string, metrics: string[], startMs: number, endMs: number): Promise<number> {
  let total = 0;
  for (const metric of metrics) {
    const res = await fetch(`${url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'identity' },
      body: JSON.stringify({
        start: startMs,
        end: endMs,
        msResolution: true,
        noAnnotations: true,
        queries: [{ aggregator: 'sum', metric, downsample: '0all-count' }],
      }),
    });
    const text = await res.text();
    if (res.status === 400 && text.includes('No such name')) continue;
    if (res.status !== 200) throw new Error(`count query of ${metric} on ${url} answered ${res.status}: ${text.slice(0, 300)}`);
    for (const s of JSON.parse(text) as Array<{ dps: Record<string, number> }>) for (const v of Object.values(s.dps)) total += v;
  }
  return total;
}

/** Empties the range of every metric in the target (deleteRange proves it), so the next run writes into nothing. */
export async function clearTarget(url: string, metrics: string[], startMs: number, endMs: number): Promise<void> {
  await Promise.all(metrics.map((m) => deleteRange(url, m, startMs, endMs, {}, { timeoutMs: 60_000 })));
}

/** "min / median" of ratios. */
export function minMedian(xs: number[]): string {
  return `${Math.min(...xs).toFixed(2)} / ${median(xs).toFixed(2)}`;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
