// prune: apply keep rules to whole chains (a chain stays if any of its backups is kept, so an
// incremental never loses its parent), delete the manifests of the other chains, newest first, then
// every object no remaining manifest references (format/manifest.ts referencedKeys). The chunks an
// interrupted backup recorded are kept for the run that resumes it (repository/backup-runs.ts).

import { TsdbBackupError, throwIfAborted } from '../errors.js';
import { referencedKeys, type Manifest } from '../format/manifest.js';
import { silentProgress, type ProgressReporter } from '../progress.js';
import { byCompletion, groupChains } from '../repository/chain.js';
import type { HeldLock } from '../repository/lock.js';
import { BackupNotFoundError, unreadableCode } from '../repository/errors.js';
import { manifestKey, type Repository } from '../repository/repository.js';
import { groupBySourceAndSelection, matchesSource, selectionKey, sourceKey, sourceLabel } from '../repository/sources.js';
import { runParallel } from '../parallel/run-parallel.js';
import { interruptedRuns, removeBackupRun } from '../repository/backup-runs.js';
import { applyKeepRules, hasRules, type KeepRules } from './keep-rules.js';

// Deletes are small requests: a few at once make S3 prune far faster without straining the store.
const DELETE_CONCURRENCY = 8;

export interface PruneOptions {
  rules: KeepRules;
  timeZone?: string;
  /** Prune only this source's backups (a name or URL); default every source. */
  source?: string;
  dryRun: boolean;
}

export interface PruneDecision {
  id: string;
  type: Manifest['type'];
  finishedAt: string;
  chain: string;
  /** The source's name or URL: keep rules apply to each source's backups separately. */
  source: string;
  keep: boolean;
  reasons: string[];
}

export interface PruneResult {
  dryRun: boolean;
  decisions: PruneDecision[];
  removedBackups: string[];
  /** Chunks no kept backup references (deleted unless dryRun). */
  unreferencedChunks: number;
  unreferencedBytes: number;
  /**
   * Interrupted backups: their recorded chunks are kept so that the next run of the backup resumes them,
   * unless the backup they extend is removed (then nothing can resume them, and they are removed too).
   */
  interrupted: Array<{ id: string; type: Manifest['type']; source: string; startedAt: string; chunks: number; keep: boolean }>;
  /** Sets whose shards are not all done: kept whole (records and chunks), their other shards may still be running. */
  incompleteSets: string[];
  /** Shard records removed because their set's one manifest exists (or did, until this prune). */
  removedShardRecords: number;
}

export async function prune(
  opts: PruneOptions,
  deps: { repository: Repository; progress?: ProgressReporter; signal?: AbortSignal; lock?: Pick<HeldLock, 'assertHeld'> },
): Promise<PruneResult> {
  if (!hasRules(opts.rules)) {
    throw new TsdbBackupError('USAGE', 'prune needs at least one keep rule (--keep-last, --keep-daily, --keep-weekly, --keep-monthly, --keep-within, ...)');
  }
  const { repository: repo, signal } = deps;
  const progress = deps.progress ?? silentProgress;
  const { manifests, unreadable } = await repo.manifests({ signal });
  if (unreadable.length > 0) {
    // Their chunks cannot be told apart from garbage: deleting would destroy what they reference.
    throw new TsdbBackupError(
      unreadableCode(unreadable.map((u) => u.error)),
      `prune refuses to run: ${unreadable.length} manifest(s) cannot be read (${unreadable.map((u) => u.id).join(', ')})`,
      {
        hint: 'run `tsdb-backup verify --all`; move or repair the damaged manifest first',
      },
    );
  }
  const { chains, orphans } = groupChains(manifests);
  // Rules apply per source and per chain selection, as restic applies them per host and paths:
  // --keep-last 1 keeps one backup of each cluster, and a one-off backup of a few metrics does not push
  // out the chain that holds all of them.
  const reasons = new Map<string, string[]>();
  for (const group of groupBySourceAndSelection(manifests).values()) {
    if (opts.source !== undefined && !matchesSource(group[0]!, opts.source)) {
      for (const m of group) reasons.set(m.id, ['another source (not pruned: --source)']);
      continue;
    }
    for (const [id, why] of applyKeepRules(group, opts.rules, opts.timeZone)) reasons.set(id, why);
  }
  if (opts.source !== undefined && !manifests.some((m) => matchesSource(m, opts.source!))) {
    throw new BackupNotFoundError(`${repo} holds no backup of source '${opts.source}'`, { hint: '`tsdb-backup list` shows the sources' });
  }
  const decisions: PruneDecision[] = [];
  const kept = new Set<string>();
  for (const chain of chains) {
    const why = chain.backups.filter((m) => reasons.has(m.id));
    const keep = why.length > 0;
    for (const m of chain.backups) {
      if (keep) kept.add(m.id);
      const own = reasons.get(m.id) ?? [];
      decisions.push({
        id: m.id,
        type: m.type,
        finishedAt: m.finishedAt,
        chain: chain.full.id,
        source: sourceLabel(m.source),
        keep,
        reasons: keep ? (own.length > 0 ? own : [`chain of ${why.map((w) => w.id).join(', ')}`]) : ['no rule keeps any backup of its chain'],
      });
    }
  }
  for (const m of orphans) {
    // An incremental whose parent is gone cannot be restored, but prune does not guess: keep it and say so.
    kept.add(m.id);
    decisions.push({
      id: m.id,
      type: m.type,
      finishedAt: m.finishedAt,
      chain: '?',
      source: sourceLabel(m.source),
      keep: true,
      reasons: ['broken chain: kept for inspection'],
    });
  }
  decisions.sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : 1));
  const removed = manifests
    .filter((m) => !kept.has(m.id))
    .sort(byCompletion)
    .reverse();

  // A set's shard records: those of a merged set are redundant (its manifest holds them all); those of
  // an incomplete set are kept with their chunks, whatever the rules say, since its last shards may
  // still come (a Kubernetes Job retries them). The operator sees them in `list`.
  const shardRecords = await repo.shardRecords(undefined, { signal });
  if (shardRecords.unreadable.length > 0) {
    throw new TsdbBackupError(
      unreadableCode(shardRecords.unreadable.map((u) => u.error)),
      `prune refuses to run: ${shardRecords.unreadable.length} shard record(s) cannot be read (${shardRecords.unreadable.map((u) => u.key).join(', ')})`,
      {
        hint: 'move or repair the damaged shard record first',
      },
    );
  }
  const merged = new Set(manifests.flatMap((m) => (m.set ? [m.set.name] : [])));
  const redundant = shardRecords.records.filter((r) => merged.has(r.set!.name));
  const pending = shardRecords.records.filter((r) => !merged.has(r.set!.name));
  const referenced = new Set([...manifests.filter((m) => kept.has(m.id)), ...pending].flatMap(referencedKeys));
  const runs = await interruptedRuns(repo, { signal, cleanUp: opts.dryRun ? undefined : 'all' });
  const interrupted = runs.map(({ run, journal }) => {
    const keys = journal.flatMap((e) => e.progress.flatMap((p) => p.chunks.map((c) => c.key)));
    // Nothing resumes a run whose parent is gone, or one a later complete backup of the same source and
    // selection has overtaken (a `full --start 30d-ago` computes another start on every run, so its
    // interrupted runs are never resumed): their chunks would otherwise be kept for ever.
    const overtaken = manifests.some(
      (m) =>
        m.type === run.type &&
        m.startedAt > run.startedAt &&
        sourceKey(m.source) === sourceKey(run.source) &&
        selectionKey(m.selection) === selectionKey(run.selection),
    );
    const keep = (run.parent === null || kept.has(run.parent)) && !overtaken;
    if (keep) for (const key of keys) referenced.add(key);
    return { id: run.id, type: run.type, source: sourceLabel(run.source), startedAt: run.startedAt, chunks: new Set(keys).size, keep };
  });
  const garbage: Array<{ key: string; size: number }> = [];
  for await (const o of repo.storage.list('data/', { signal })) if (!referenced.has(o.key)) garbage.push(o);

  if (!opts.dryRun) {
    // Prune decided from what it read; if the lock was taken from it meanwhile, deleting could hit a backup in progress.
    await deps.lock?.assertHeld();
    // Records first: a prune stopped between the two leaves a set's manifest, never records without it.
    await repo.deleteShardRecords(redundant, { signal });
    for (const m of removed) {
      throwIfAborted(signal);
      progress({ type: 'phase', phase: 'remove', detail: m.id });
      await repo.storage.delete(manifestKey(m.id), { signal });
    }
    for (const run of interrupted.filter((r) => !r.keep)) await removeBackupRun(repo, run.id, { signal });
    await runParallel(garbage, { concurrency: DELETE_CONCURRENCY, signal }, (g, { signal: itemSignal }) => repo.storage.delete(g.key, { signal: itemSignal }));
  }
  return {
    dryRun: opts.dryRun,
    decisions,
    removedBackups: removed.map((m) => m.id),
    unreferencedChunks: garbage.length,
    interrupted,
    unreferencedBytes: garbage.reduce((n, g) => n + g.size, 0),
    incompleteSets: [...new Set(pending.map((r) => r.set!.name))].sort(),
    removedShardRecords: redundant.length,
  };
}
