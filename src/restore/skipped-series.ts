// A resumed restore skips the chunks an interrupted run wrote, but the UID metadata it writes at the end
// covers the tag names of every restored series: those chunks are read (from the repository, not the
// target) for their series' tags.

import type { Repository } from '../repository/repository.js';
import { readVerifiedChunk } from './chunk-reader.js';
import type { ChainMetadata } from './metadata-restore.js';
import type { PointTransform } from './point-transform.js';
import { journalChunkId } from './restore-journal.js';
import type { RestoreStep } from './restore-plan.js';

/** Notes the (target) tags of every series in the chunks of `plan` that are not in `todo`. */
export async function noteSkippedSeries(
  repo: Repository,
  plan: readonly RestoreStep[],
  todo: readonly RestoreStep[],
  transform: PointTransform,
  metadata: ChainMetadata,
  signal?: AbortSignal,
): Promise<void> {
  const pending = new Set(todo.flatMap((step) => step.chunks.map((c) => journalChunkId(step.manifest.id, c.entry.key))));
  for (const step of plan) {
    for (const { entry, intervals } of step.chunks) {
      if (pending.has(journalChunkId(step.manifest.id, entry.key))) continue;
      const chunk = await readVerifiedChunk(repo, entry, signal);
      for (const s of transform.apply(chunk.metric, chunk.series, intervals).series) metadata.noteSeriesTags(s.tags);
    }
  }
}
