// restore --skip-damaged: a chunk that is missing, corrupt or fails authentication is left out, and
// what it would have written is reported exactly (metric, times, the tag filters of its series group),
// so that the loss never looks like a success.

import { TsdbBackupError } from '../errors.js';
import type { ChunkEntry } from '../format/manifest.js';
import type { TagFilter } from '../opentsdb/tag-filter.js';
import type { Interval } from '../repository/time-intervals.js';

/** What the restore could not write because a chunk was damaged. */
export interface LostRange {
  metric: string;
  /** Inclusive times (ms) of the backup that the chunk held for this restore. */
  start: number;
  end: number;
  /** The series group of the chunk (absent: every series of the metric). */
  filters?: TagFilter[];
  /** Points and series the manifest says the whole chunk holds. */
  points: number;
  series: number;
  chunk: string;
  backupId: string;
  error: string;
  /** The error's code: CHUNK_CORRUPT, CHUNK_MISSING or TAMPERED. */
  code: string;
}

export function isChunkDamage(err: unknown): err is TsdbBackupError {
  return err instanceof TsdbBackupError && (err.code === 'CHUNK_CORRUPT' || err.code === 'CHUNK_MISSING' || err.code === 'TAMPERED');
}

export function lostRanges(backupId: string, entry: ChunkEntry, intervals: readonly Interval[], err: TsdbBackupError): LostRange[] {
  return intervals.map((i) => ({
    metric: entry.metric,
    start: i.start,
    end: i.end,
    ...(entry.filters ? { filters: entry.filters } : {}),
    points: entry.points,
    series: entry.series,
    chunk: entry.key,
    backupId,
    error: err.message,
    code: err.code,
  }));
}

/** The restore wrote everything else; these ranges are lost. Keeps the damage's code (exit 4, or 15 when tampered). */
export class RestoreLostDataError extends TsdbBackupError {
  constructor(lost: readonly LostRange[]) {
    const chunks = new Set(lost.map((l) => l.chunk)).size;
    const tampered = lost.some((l) => l.code === 'TAMPERED');
    super(
      tampered ? 'TAMPERED' : 'CHUNK_CORRUPT',
      `restore --skip-damaged left out ${chunks} damaged chunk(s): the target lacks ${lost.length} range(s) of ${new Set(lost.map((l) => l.metric)).size} metric(s) (listed)`,
      {
        hint: 'restore those metrics and times from another backup (`tsdb-backup list`); `tsdb-backup verify` shows the damage',
      },
    );
    this.details = { lost };
  }
}
