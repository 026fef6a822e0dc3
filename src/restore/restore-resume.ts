// Where a restore starts: with a journal (restore-journal.ts), the chunks an interrupted run of the same
// restore wrote are left out of the plan (--resume), and the operator is told what the journal held.

import type { ShardSpec } from '../shard/shard.js';
import type { ProgressReporter } from '../progress.js';
import type { TransformOptions } from './point-transform.js';
import type { RestoreStep } from './restore-plan.js';
import { journalChunkId, openJournal, type RestoreJournal, type RestoreKey } from './restore-journal.js';
import type { WrittenRanges } from './written-ranges.js';

export interface ResumedRun {
  /** Chunks an interrupted run had written completely, skipped now. */
  chunks: number;
  /** Chunks it had written in part: their written prefix is skipped. */
  partialChunks: number;
  /** Points it had written (complete chunks and prefixes), skipped now. */
  points: number;
  startedAt: string;
}

export interface JournalStart {
  journal: RestoreJournal;
  /** The plan without the chunks already written. */
  todo: RestoreStep[];
  /** Chunk id -> the points of its stream written already (chunks written in part). */
  partial: Map<string, WrittenRanges>;
  /**
   * The chunks to check against the target before writing: those no earlier run wrote anything of. A run
   * checks all of its chunks before it writes any, so the others were checked (and their points in the
   * target are the restore's own: reading them back would cost more than the rest of the check).
   */
  toCheck: RestoreStep[];
  resumed?: ResumedRun;
}

/** What decides the points a restore writes (the journal's key); `chain` is full first, the restored backup last. */
export function restoreKey(
  repository: string,
  chain: string[],
  target: string,
  o: { metrics: string[]; exclude?: string[]; start: number; end: number; transform?: TransformOptions; shard?: ShardSpec },
): RestoreKey {
  return {
    repository,
    backupId: chain.at(-1)!,
    chain,
    target,
    metrics: o.metrics,
    exclude: o.exclude ?? [],
    start: o.start,
    end: o.end,
    renameMetric: o.transform?.renameMetric ?? [],
    tagMap: o.transform?.tagMap ?? [],
    shiftMs: o.transform?.shiftMs ?? 0,
    ...(o.shard ? { shard: `${o.shard.index}/${o.shard.count}` } : {}),
  };
}

export async function startJournal(
  plan: RestoreStep[],
  o: { dir: string; resume: boolean; key: RestoreKey; now: Date; progress: ProgressReporter },
): Promise<JournalStart> {
  const all = plan.reduce((n, step) => n + step.chunks.length, 0);
  const opened = await openJournal({ dir: o.dir, resume: o.resume, key: o.key, chunks: all, now: o.now });
  const out: JournalStart = { journal: opened.journal, todo: plan, partial: new Map(), toCheck: plan };
  if (opened.resumed) {
    const { done, partial, startedAt, tornTail } = opened.resumed;
    const isDone = (step: RestoreStep, key: string) => done.has(journalChunkId(step.manifest.id, key));
    out.todo = plan.map((step) => ({ ...step, chunks: step.chunks.filter((c) => !isDone(step, c.entry.key)) }));
    let chunks = 0;
    let points = 0;
    for (const step of plan) {
      for (const c of step.chunks) {
        const id = journalChunkId(step.manifest.id, c.entry.key);
        const n = done.get(id);
        if (n !== undefined) {
          chunks++;
          points += n;
        } else if (partial.has(id) && !out.partial.has(id)) {
          out.partial.set(id, partial.get(id)!);
          points += partial.get(id)!.size;
        }
      }
    }
    out.resumed = { chunks, partialChunks: out.partial.size, points, startedAt };
    out.toCheck = out.todo.map((step) => ({ ...step, chunks: step.chunks.filter((c) => !out.partial.has(journalChunkId(step.manifest.id, c.entry.key))) }));
    const torn = tornTail ? ' (the journal ended in a line cut short by the kill: dropped, that chunk is written again)' : '';
    o.progress({
      type: 'notice',
      message: `resuming the restore started at ${startedAt}: ${chunks} of ${all} chunks and part of ${out.partial.size} more (${points} points) were written by then and are skipped${torn}`,
    });
  }
  if (opened.replaced) {
    o.progress({
      type: 'notice',
      message: `an interrupted run of this restore (started at ${opened.replaced.startedAt}) had written ${opened.replaced.done.size} of ${all} chunks; this run writes every chunk again and starts a new journal (restore --resume would skip what is written)`,
    });
  }
  if (opened.nothingToResume)
    o.progress({ type: 'notice', message: `restore --resume: no interrupted run of this restore left a journal in ${o.dir}; writing every chunk` });
  return out;
}
