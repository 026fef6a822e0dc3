// Where a backup in progress records itself (docs/FORMAT.md section 7):
//   runs/<id>.run.json                      what is being backed up, and its plan; written before any journal
//   runs/<id>.journal-<seq>-<writer>.json   what has been stored since the previous journal entry (<writer>:
//                                           random per process, so that no entry ever replaces another)
// (one flat directory: a finished run leaves nothing behind, not even an empty directory)
// A run is removed once its manifest is written. One left behind is an interrupted backup: the next
// backup of the same source, type, parent and selection resumes it, and prune keeps its chunks.

import { describeSchemaError } from '../format/manifest.js';
import { backupRunSchema, runJournalSchema, type BackupRun, type RunJournal } from '../format/backup-run.js';
import type { OpOptions } from '../storage/storage.js';
import type { Schema } from '../validation/schema.js';
import { ManifestInvalidError } from './errors.js';
import { NotFoundError } from '../errors.js';
import { manifestKey, shardRecordKey, type Repository } from './repository.js';

export const RUNS_PREFIX = 'runs/';

function runKey(id: string): string {
  return `${RUNS_PREFIX}${id}.run.json`;
}

function journalKey(id: string, seq: number, writer: string): string {
  return `${RUNS_PREFIX}${id}.journal-${String(seq).padStart(10, '0')}-${writer}.json`;
}

/** An interrupted backup as recorded: the run and its journal entries in order. */
export interface RecordedRun {
  run: BackupRun;
  journal: RunJournal[];
}

export async function writeBackupRun(repo: Repository, run: BackupRun, opts?: OpOptions): Promise<void> {
  await repo.putDocument(runKey(run.id), backupRunSchema.parse(run), opts);
}

export async function writeRunJournal(repo: Repository, entry: RunJournal, writer: string, opts?: OpOptions): Promise<void> {
  await repo.putDocument(journalKey(entry.run, entry.seq, writer), runJournalSchema.parse(entry), opts);
}

async function readChecked<T>(repo: Repository, key: string, schema: Schema<T>, opts?: OpOptions): Promise<T> {
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
 * Every interrupted backup in the repository, oldest first. Not interrupted backups: runs whose backup
 * exists (its manifest, or for a shard its shard record or its set's manifest: the backup completed but
 * was stopped before it cleaned up), and journal entries without a run.json (a removal cut short).
 * `cleanUp` removes the first kind ('finished'), or both ('all': only under the exclusive lock, as
 * another backup's listing may show its journal entries before its run.json). A run removed while it is
 * read (a shard finishing meanwhile) is gone, not an error.
 */
export async function interruptedRuns(repo: Repository, opts: OpOptions & { cleanUp?: 'finished' | 'all' } = {}): Promise<RecordedRun[]> {
  const runs: RecordedRun[] = [];
  for (const [id, keys] of await runObjects(repo, opts)) {
    if (!keys.includes(runKey(id))) {
      if (opts.cleanUp === 'all') await removeBackupRun(repo, id, opts);
      continue;
    }
    let recorded: RecordedRun;
    try {
      recorded = await readRun(repo, id, keys, opts);
    } catch (err) {
      if (err instanceof NotFoundError) continue;
      throw err;
    }
    if (await isFinished(repo, recorded.run, opts)) {
      if (opts.cleanUp) await removeBackupRun(repo, id, opts);
      continue;
    }
    runs.push(recorded);
  }
  return runs.sort((a, b) => (a.run.id < b.run.id ? -1 : 1));
}

async function readRun(repo: Repository, id: string, keys: readonly string[], opts?: OpOptions): Promise<RecordedRun> {
  const run = await readChecked(repo, runKey(id), backupRunSchema, opts);
  if (run.id !== id) throw new ManifestInvalidError(runKey(id), repo.toString(), `it records id '${run.id}'`, { what: 'backup run' });
  const journal: RunJournal[] = [];
  for (const key of keys.filter((k) => k !== runKey(id)).sort()) {
    const entry = await readChecked(repo, key, runJournalSchema, opts);
    if (entry.run !== id) throw new ManifestInvalidError(key, repo.toString(), `it belongs to run '${entry.run}'`, { what: 'backup run' });
    journal.push(entry);
  }
  return { run, journal };
}

/** Whether the run's backup exists: its manifest; for a shard, a record of its shard or the set's manifest. */
async function isFinished(repo: Repository, run: BackupRun, opts?: OpOptions): Promise<boolean> {
  if (await repo.storage.stat(manifestKey(run.id), opts)) return true;
  const set = run.set;
  if (set?.shard === undefined) return false;
  if (await repo.storage.stat(shardRecordKey(set.name, set.shard, set.shards), opts)) return true;
  // Prune removes the records of a complete set: then the set's own manifest says it is done.
  return (await repo.manifests(opts)).manifests.some((m) => m.set?.name === set.name && m.set.shard === undefined);
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
