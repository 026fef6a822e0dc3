// The order in which export reads a restore plan: metric by metric, and within a metric by time, so that
// every series' points come out in strictly increasing time (OpenTSDB's importer stops otherwise). The plan
// gives each (metric, time) to exactly one backup of the chain, but a newer backup may own times before
// those of an older one (an incremental within its parent's window), so the plan's own order (backup by
// backup) is not time order. A chunk whose owned times are split around another's is read once per piece.

import type { ChunkEntry } from '../format/manifest.js';
import type { Interval } from '../repository/time-intervals.js';
import type { RestoreStep } from '../restore/restore-plan.js';

export interface ExportRead {
  entry: ChunkEntry;
  /** The backup the chunk belongs to. */
  backupId: string;
  /** The times of the chunk to write (ascending, disjoint). */
  intervals: Interval[];
  /** Whether the intervals cover every point of the chunk (then its manifest count is exact). */
  whole: boolean;
}

export function exportReads(plan: readonly RestoreStep[]): ExportRead[] {
  const pieces: Array<{ entry: ChunkEntry; backupId: string; interval: Interval; rank: number }> = [];
  let rank = 0;
  for (const step of plan) {
    for (const { entry, intervals } of step.chunks) {
      for (const interval of intervals) pieces.push({ entry, backupId: step.manifest.id, interval, rank });
      rank++;
    }
  }
  pieces.sort((a, b) => (a.entry.metric < b.entry.metric ? -1 : a.entry.metric > b.entry.metric ? 1 : a.interval.start - b.interval.start || a.rank - b.rank));
  const reads: ExportRead[] = [];
  for (const p of pieces) {
    const last = reads.at(-1);
    if (last && last.entry === p.entry) last.intervals.push(p.interval);
    else reads.push({ entry: p.entry, backupId: p.backupId, intervals: [p.interval], whole: false });
  }
  for (const r of reads) {
    const first = r.entry.firstTimestamp ?? r.entry.start;
    const lastTs = r.entry.lastTimestamp ?? r.entry.end;
    r.whole = r.intervals.length === 1 && r.intervals[0]!.start <= first && r.intervals[0]!.end >= lastTs;
  }
  return reads;
}
