// Records a backup's progress in the repository as it goes (repository/backup-runs.ts), and reads it
// back when an interrupted backup is resumed.
//
// Entries are group-committed: while one journal object is being written, the progress that arrives
// is gathered and written as the next one. A fast store gets an object per window; a slow one (S3)
// gets fewer, larger objects, and the backup never waits for the journal except at its end. A chunk is
// stored before the entry that names it is queued, so an entry never names a chunk that is not there.

import { randomBytes } from 'node:crypto';
import type { ChunkEntry } from '../format/manifest.js';
import { RUN_JOURNAL_FORMAT, RUN_VERSION, type CollectedMetadata, type RunJournal, type RunProgress } from '../format/backup-run.js';
import { writeRunJournal } from '../repository/backup-runs.js';
import type { Repository } from '../repository/repository.js';

export class RunJournalWriter {
  private queued: RunProgress[] = [];
  private writing: Promise<void> | undefined;
  private failure: Error | undefined;
  /** Names this process's entries: two writers of one run (which the locks should prevent) never replace each other's. */
  private readonly writer = randomBytes(4).toString('hex');

  constructor(
    private readonly repo: Repository,
    private readonly runId: string,
    private seq: number,
    private readonly signal?: AbortSignal,
  ) {}

  /** Queues progress to be recorded; throws when recording has failed (the backup must not go on unrecorded). */
  record(progress: RunProgress): void {
    if (this.failure) throw this.failure;
    this.queued.push(progress);
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queued.length > 0 && !this.failure) {
      const progress = this.queued.splice(0);
      try {
        await writeRunJournal(this.repo, { format: RUN_JOURNAL_FORMAT, version: RUN_VERSION, run: this.runId, seq: this.seq++, progress }, this.writer, {
          signal: this.signal,
        });
      } catch (err) {
        this.failure = err as Error;
      }
    }
    this.writing = undefined;
  }

  /** Waits until everything queued is recorded. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
  }
}

/** What an interrupted run had stored of one metric. */
export interface StoredProgress {
  chunks: ChunkEntry[];
  /** Every point from here to the end of the range is stored; absent when nothing was. */
  storedFrom?: number;
  /** Metadata recorded with the metric's entries (collected from any metric before them). */
  metadata: CollectedMetadata[];
  done?: { series: number };
}

/** Folds a run's journal into each metric's stored progress. */
export function storedProgress(journal: readonly RunJournal[]): Map<string, StoredProgress> {
  const byMetric = new Map<string, StoredProgress>();
  for (const entry of journal) {
    for (const p of entry.progress) {
      const m = byMetric.get(p.metric) ?? { chunks: [], metadata: [] };
      m.chunks.push(...p.chunks);
      m.storedFrom = m.storedFrom === undefined ? p.storedFrom : Math.min(m.storedFrom, p.storedFrom);
      if (p.metadata) m.metadata.push(p.metadata);
      if (p.done) m.done = p.done;
      byMetric.set(p.metric, m);
    }
  }
  return byMetric;
}
