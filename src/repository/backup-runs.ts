// Where a backup in progress records itself (docs/FORMAT.md section 6):
//   runs/<id>.run.json                 what is being backed up, and its plan; written before any journal
//   runs/<id>.journal-<seq>.json       what has been stored since the previous journal entry
// (one flat directory: a finished run leaves nothing behind, not even an empty directory)
// A run is removed once its manifest is written. One left behind is an interrupted backup: the next
// backup of the same source, type, parent and selection resumes it, and prune keeps its chunks.

import { describeSchemaError } from '../format/manifest.js';
import { backupRunSchema, runJournalSchema, type BackupRun, type RunJournal } from '../format/backup-run.js';
import type { OpOptions } from '../storage/storage.js';
import { ManifestInvalidError } from './errors.js';
import { manifestKey, type Repository } from './repository.js';

export const RUNS_PREFIX = 'runs/';

function runKey(id: string): string {
  return `${RUNS_PREFIX}${id}.run.json`;
}

function journalKey(id: string, seq: number): string {
  return `${RUNS_PREFIX}${id}.journal-${String(seq).padStart(10, '0')}.json`;
}

/** An interrupted backup as recorded: the run and its journal entries in order. */
export interface RecordedRun {
  run: BackupRun;
  journal: RunJournal[];
}

export async function writeBackupRun(repo: Repository, run: BackupRun, opts?: OpOptions): Promise<void> {
  await repo.putDocument(runKey(run.id), backupRunSchema.parse(run), opts);
}

export async function writeRunJournal(repo: Repository, entry: RunJournal, opts?: OpOptions): Promise<void> {
  await repo.putDocument(journalKey(entry.run, entry.seq), runJournalSchema.parse(entry), opts);
}

async function readChecked<T>(repo: Repository, key: string, schema: { safeParse(doc: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }, opts?: OpOptions): Promise<T> {
  const doc = await repo.getDocument(key, 'backup run', opts);
  const r = schema.safeParse(doc);
  if (!r.success) throw new ManifestInvalidError(key, repo.toString(), describeSchemaError(r.error), { what: 'backup run' });
  return r.data;
}

/** Keys of every object under runs/, by run id. */
async function runObjects(repo: Repository, opts?: OpOptions): Promise<Map<string, string[]>> {
  const byRun = new Map<string, string[]>();
  for await (const o of repo.storage.list(RUNS_PREFIX, opts)) {
    const id = o.key.slice(RUNS_PREFIX.length).split('.')[0]!;
    byRun.set(id, [...(byRun.get(id) ?? []), o.key]);
  }
  return byRun;
}

/**
 * Every interrupted backup in the repository, oldest first. Runs whose manifest exists (the backup
 * completed, but was stopped before it cleaned up) and journal entries without a run.json (a removal
 * cut short) are not interrupted backups. `cleanUp` removes the first kind ('finished'), or both
 * ('all': only under the exclusive lock, as another backup's listing may show its journal entries
 * before its run.json).
 */
export async function interruptedRuns(repo: Repository, opts: OpOptions & { cleanUp?: 'finished' | 'all' } = {}): Promise<RecordedRun[]> {
  const runs: RecordedRun[] = [];
  for (const [id, keys] of await runObjects(repo, opts)) {
    if (!keys.includes(runKey(id))) {
      if (opts.cleanUp === 'all') await removeBackupRun(repo, id, opts);
      continue;
    }
    if (await repo.storage.stat(manifestKey(id), opts)) {
      if (opts.cleanUp) await removeBackupRun(repo, id, opts);
      continue;
    }
    const run = await readChecked(repo, runKey(id), backupRunSchema, opts);
    if (run.id !== id) throw new ManifestInvalidError(runKey(id), repo.toString(), `it records id '${run.id}'`, { what: 'backup run' });
    const journal: RunJournal[] = [];
    for (const key of keys.filter((k) => k !== runKey(id)).sort()) {
      const entry = await readChecked(repo, key, runJournalSchema, opts);
      if (entry.run !== id) throw new ManifestInvalidError(key, repo.toString(), `it belongs to run '${entry.run}'`, { what: 'backup run' });
      journal.push(entry);
    }
    runs.push({ run, journal });
  }
  return runs.sort((a, b) => (a.run.id < b.run.id ? -1 : 1));
}

/**
 * Removes a run's records: run.json first, so that a removal cut short leaves journal entries that
 * belong to no run (removed by the next cleanUp), never a run missing some of its entries.
 */
export async function removeBackupRun(repo: Repository, id: string, opts?: OpOptions): Promise<void> {
  const keys = (await runObjects(repo, opts)).get(id) ?? [];
  await repo.storage.delete(runKey(id), opts);
  for (const key of keys.filter((k) => k !== runKey(id))) await repo.storage.delete(key, opts);
}

/** The next free journal sequence number of a run. */
export function nextJournalSeq(recorded: RecordedRun): number {
  return recorded.journal.reduce((n, e) => Math.max(n, e.seq + 1), 0);
}
