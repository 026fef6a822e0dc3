// The replication checkpoint: per metric, the time up to which the standby holds everything the primary
// had (copied with ?sync, so confirmed durable by the standby before it is recorded). It lives in a
// local state file (--state) rather than in the repository or the standby:
// - it must be written after every window, cheaply and atomically, even while the repository's
//   storage is unreachable, and replication must not need a repository at all;
// - written into the standby, it would be a series of its own that failback copies back into the
//   primary and that shows up in the operators' dashboards and `suggest`;
// - it records the failover too, so that failback knows from when to copy back.
// A checkpoint is never ahead of the standby: at worst (a crash between a write and its record) a
// restart copies a window again, and writing the same points again is harmless.

import { readFile } from 'node:fs/promises';
import { TsdbBackupError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-file.js';

export const STATE_FORMAT = 'tsdb-backup-replication';
export const STATE_VERSION = 1;

export interface FailoverRecord {
  /** When the failover finished (ms): from here on writers went to the standby. */
  at: number;
  /** Per metric, how far the standby held the primary's data when the primary stopped answering. */
  checkpoints: Record<string, number>;
  /** What the final catch-up could not copy (primary down), per metric: [from, to]. */
  uncopied: Array<{ metric: string; from: number; to: number; error: string }>;
}

export interface ReplicationState {
  format: typeof STATE_FORMAT;
  version: number;
  /** Credential-free URLs. */
  source: string;
  target: string;
  selection: { metrics: string[]; exclude: string[] };
  /** Where replication began (ms): metrics seen later are copied from here. */
  start: number;
  /** Per metric: everything up to this time (inclusive, ms) is on the standby. */
  checkpoints: Record<string, number>;
  updatedAt: string;
  /**
   * The furthest time (ms) a pass set out to copy, saved before it writes: points up to here may be on
   * the standby beyond their metric's checkpoint (a crash between a write and its record).
   */
  writtenThrough?: number;
  failover?: FailoverRecord;
  /** Set by failback: replication from the primary resumed from the pre-failover checkpoints. */
  failback?: { at: number };
}

export class StateFileError extends TsdbBackupError {
  constructor(message: string, hint?: string) {
    super('STATE_INVALID', message, { hint });
  }
}

export async function readState(file: string): Promise<ReplicationState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(`cannot read the replication state ${file}: ${(err as Error).message}`);
  }
  let doc: ReplicationState;
  try {
    doc = JSON.parse(text) as ReplicationState;
  } catch {
    throw new StateFileError(
      `the replication state ${file} is not JSON (damaged?)`,
      'restore it from a copy, or remove it and replicate again from --start (rewriting points is harmless)',
    );
  }
  if (doc.format !== STATE_FORMAT || typeof doc.checkpoints !== 'object' || doc.checkpoints === null || typeof doc.start !== 'number') {
    throw new StateFileError(`${file} is not a tsdb-backup replication state`, 'pass the file `replicate --state` wrote');
  }
  if (doc.version > STATE_VERSION)
    throw new StateFileError(`the replication state ${file} has version ${doc.version}; this tsdb-backup reads up to ${STATE_VERSION}`, 'upgrade tsdb-backup');
  return doc;
}

export async function writeState(file: string, state: ReplicationState, now: Date): Promise<void> {
  state.updatedAt = now.toISOString();
  try {
    await writeFileAtomic(file, `${JSON.stringify(state, null, 1)}\n`);
  } catch (err) {
    throw new StateFileError(`cannot write the replication state ${file}: ${(err as Error).message}`, 'check the disk and the permissions of its directory');
  }
}

function sameSelection(a: { metrics: string[]; exclude: string[] }, b: { metrics: string[]; exclude: string[] }): boolean {
  const key = (s: { metrics: string[]; exclude: string[] }): string => JSON.stringify([[...s.metrics].sort(), [...s.exclude].sort()]);
  return key(a) === key(b);
}

/** The state for this pair and selection: the file's when it matches, a new one when there is none. */
export function stateFor(
  existing: ReplicationState | undefined,
  want: Pick<ReplicationState, 'source' | 'target' | 'selection' | 'start'>,
  file: string,
): ReplicationState {
  if (!existing) return { format: STATE_FORMAT, version: STATE_VERSION, ...want, checkpoints: {}, updatedAt: new Date(0).toISOString() };
  if (existing.source !== want.source || existing.target !== want.target) {
    throw new UsageError(`the replication state ${file} is for ${existing.source} -> ${existing.target}, not ${want.source} -> ${want.target}`, {
      hint: 'each source/target pair needs its own --state file',
    });
  }
  if (!sameSelection(existing.selection, want.selection)) {
    throw new UsageError(
      `the replication state ${file} was written for --metric ${JSON.stringify(existing.selection.metrics)} --exclude ${JSON.stringify(existing.selection.exclude)}, not this selection`,
      {
        hint: 'use the same --metric/--exclude as before, or another --state file for another selection',
      },
    );
  }
  return existing;
}
