// The checks a restore makes against its target: before writing, that the target holds no other value
// at any point the restore would write (OpenTSDB keeps both, and then answers "Duplicate timestamp" for
// the series, or one of them silently); after writing (--verify), that it reads back exactly what was written.

import { runParallel } from '../parallel/run-parallel.js';
import type { TsdClient } from '../opentsdb/client.js';
import type { Repository } from '../repository/repository.js';
import { readVerifiedChunk } from './chunk-reader.js';
import type { PointTransform } from './point-transform.js';
import { RestoreConflictError } from './restore-errors.js';
import { isChunkDamage } from './damaged-chunks.js';
import type { RestoreStep } from './restore-plan.js';
import { compareWithTarget, type ChunkComparison, type PointDifference, type UnreadableRange } from './target-compare.js';

export const MAX_REPORTED_DIFFERENCES = 50;

export interface ConflictReport {
  /** Chunks checked, and the target points that hold another value than the backup. */
  chunks: number;
  points: number;
  differences: PointDifference[];
  /** Ranges the target cannot read ("Duplicate timestamp"): they hold conflicting values already. */
  unreadable: UnreadableRange[];
}

export interface VerifyReport {
  chunks: number;
  /** Backup points compared. */
  points: number;
  missing: number;
  changed: number;
  extra: number;
  differences: PointDifference[];
  unreadable: UnreadableRange[];
  add(c: ChunkComparison): void;
}

export function verifiedTally(): VerifyReport {
  return {
    chunks: 0,
    points: 0,
    missing: 0,
    changed: 0,
    extra: 0,
    differences: [],
    unreadable: [],
    add(c) {
      if (c.unreadable) this.unreadable.push(c.unreadable);
      this.chunks++;
      this.points += c.compared;
      this.missing += c.missing;
      this.changed += c.changed;
      this.extra += c.extra;
      for (const d of c.differences) if (this.differences.length < MAX_REPORTED_DIFFERENCES) this.differences.push(d);
    },
  };
}

/** One line per difference: metric{tags} at an ISO time (ms), backup value vs target value. */
export function describeDifference(d: PointDifference): string {
  return `${d.series} at ${new Date(d.timestamp).toISOString()} (${d.timestamp}): backup ${d.backup ?? 'no point'}, target ${d.target ?? 'no point'}`;
}

export function describeUnreadable(u: UnreadableRange): string {
  return `${u.metric} ${new Date(u.start).toISOString()}..${new Date(u.end).toISOString()} (${u.start}..${u.end}): the target cannot read it: ${u.error}`;
}

/** Reads every planned chunk and compares it with the target; throws RestoreConflictError if the target holds other values. */
export async function checkConflicts(
  plan: readonly RestoreStep[],
  deps: {
    repo: Repository;
    client: TsdClient;
    transform: PointTransform;
    concurrency: number;
    signal?: AbortSignal;
    overwrite: boolean;
    fixDuplicates: boolean;
    skipDamaged: boolean;
  },
): Promise<ConflictReport> {
  const report: ConflictReport = { chunks: 0, points: 0, differences: [], unreadable: [] };
  for (const step of plan) {
    await runParallel(step.chunks, { concurrency: deps.concurrency, signal: deps.signal }, async ({ entry, intervals }, { signal }) => {
      let chunk;
      try {
        chunk = await readVerifiedChunk(deps.repo, entry, signal);
      } catch (err) {
        if (deps.skipDamaged && isChunkDamage(err)) return; // the write pass reports it as lost
        throw err;
      }
      const t = deps.transform.apply(chunk.metric, chunk.series, intervals);
      const filters = deps.transform.targetFilters(entry.filters);
      const c = await compareWithTarget(deps.client, { ...t, filters }, { onlyChanged: true, signal });
      report.chunks++;
      report.points += c.changed;
      if (c.unreadable) report.unreadable.push(c.unreadable);
      for (const d of c.differences) if (report.differences.length < MAX_REPORTED_DIFFERENCES) report.differences.push(d);
    });
  }
  // Overwriting is safe only where the newest write wins: elsewhere OpenTSDB keeps both cells (always
  // once the row was compacted, which reading it does) and every read of the series fails.
  if ((report.points > 0 && !(deps.overwrite && deps.fixDuplicates)) || report.unreadable.length > 0) {
    const series = new Set(report.differences.map((d) => d.series));
    const lines = [
      ...report.differences.slice(0, 10).map((d) => `  ${describeDifference(d)}`),
      ...report.unreadable.slice(0, 10).map((u) => `  ${describeUnreadable(u)}`),
    ];
    const what = [
      ...(report.points > 0
        ? [`other values at ${report.points} point(s) of ${series.size}${report.differences.length < report.points ? '+' : ''} series this restore would write`]
        : []),
      ...(report.unreadable.length > 0 ? [`${report.unreadable.length} range(s) it cannot read (two values at one time: "Duplicate timestamp")`] : []),
    ];
    const needs =
      deps.overwrite && report.points > 0 && !deps.fixDuplicates
        ? '; --overwrite needs a target with tsd.storage.fix_duplicates=true (otherwise OpenTSDB keeps both values and fails every read of the series with "Duplicate timestamp")'
        : '';
    throw new RestoreConflictError(`${deps.client} already holds ${what.join(' and ')}${needs}:\n${lines.join('\n')}`, {
      conflicts: { points: report.points, differences: report.differences, unreadable: report.unreadable },
    });
  }
  return report;
}
