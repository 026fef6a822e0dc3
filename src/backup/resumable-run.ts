// Which interrupted run a backup resumes: one of the same source, type, parent, selection, start and
// shard of a set (the shards of a set run at once, each resuming only its own run).
// Its own end is kept (the run's plan and chunks were made for it); what arrived since is the next
// incremental's.

import type { BackupRun } from '../format/backup-run.js';
import type { RecordedRun } from '../repository/backup-runs.js';

/** What makes two runs the same backup. */
export interface RunIdentity {
  type: BackupRun['type'];
  parent: string | null;
  source: { url: string; name?: string };
  selection: BackupRun['selection'];
  start: number;
  set?: BackupRun['set'];
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export function isSameBackup(run: BackupRun, id: RunIdentity): boolean {
  return (
    run.type === id.type &&
    run.parent === id.parent &&
    run.source.url === id.source.url &&
    run.source.name === id.source.name &&
    sameList(run.selection.metrics, id.selection.metrics) &&
    sameList(run.selection.exclude, id.selection.exclude) &&
    run.range.start === id.start &&
    run.set?.name === id.set?.name &&
    run.set?.shards === id.set?.shards &&
    run.set?.shard === id.set?.shard
  );
}

/** The newest interrupted run of this backup, if any. */
export function findResumable(runs: readonly RecordedRun[], id: RunIdentity): RecordedRun | undefined {
  return runs.filter((r) => isSameBackup(r.run, id)).at(-1);
}
