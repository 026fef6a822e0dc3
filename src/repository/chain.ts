// Backup chains: a full backup and the incrementals that extend it, each with its parent's id.
// Restoring a backup restores its whole chain, oldest first; chain-coverage.ts says which backup speaks
// for which metric and time.

import type { Manifest } from '../format/manifest.js';
import { TsdbBackupError } from '../errors.js';
import { BackupNotFoundError } from './errors.js';

export class ChainBrokenError extends TsdbBackupError {
  /** @param missing the parent that is missing or unreadable, when that is what breaks the chain */
  constructor(
    message: string,
    readonly missing?: string,
  ) {
    super('MANIFEST_INVALID', message, { hint: 'the chain cannot be restored past the gap; restore an earlier backup or take a new full backup' });
  }
}

/** The chain ending at `id`: full first. */
export function resolveChain(manifests: readonly Manifest[], id: string): Manifest[] {
  const byId = new Map(manifests.map((m) => [m.id, m]));
  const last = byId.get(id);
  if (!last) throw new BackupNotFoundError(`no complete backup '${id}'`);
  const chain = [last];
  const seen = new Set([id]);
  let cur = last;
  while (cur.parent) {
    const parent = byId.get(cur.parent);
    if (!parent) throw new ChainBrokenError(`backup ${cur.id} extends ${cur.parent}, which is missing or unreadable`, cur.parent);
    if (seen.has(parent.id)) throw new ChainBrokenError(`backup ${cur.id} is part of a parent cycle`);
    seen.add(parent.id);
    chain.unshift(parent);
    cur = parent;
  }
  if (chain[0]!.type !== 'full') throw new ChainBrokenError(`the chain of ${id} does not start with a full backup`);
  return chain;
}

export interface Chain {
  full: Manifest;
  /** The full backup and its descendants, oldest first. */
  backups: Manifest[];
}

/** Groups backups into chains (by their full backup); incrementals whose ancestry is broken are returned apart. */
export function groupChains(manifests: readonly Manifest[]): { chains: Chain[]; orphans: Manifest[] } {
  const chains = new Map<string, Chain>();
  const orphans: Manifest[] = [];
  const sorted = [...manifests].sort(byCompletion);
  for (const m of sorted) {
    if (m.type === 'full') {
      chains.set(m.id, { full: m, backups: [m] });
      continue;
    }
    try {
      const root = resolveChain(manifests, m.id)[0]!;
      chains.get(root.id)!.backups.push(m);
    } catch {
      orphans.push(m);
    }
  }
  return { chains: [...chains.values()], orphans };
}

/** Oldest first by completion time (ids have one-second resolution; two backups may share a second). */
export function byCompletion(a: Manifest, b: Manifest): number {
  return (
    Date.parse(a.finishedAt) - Date.parse(b.finishedAt) ||
    Date.parse(a.startedAt) - Date.parse(b.startedAt) ||
    (b.parent === a.id ? -1 : a.parent === b.id ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** The newest backup finished at or before `at`. */
export function backupAt(manifests: readonly Manifest[], at: number): Manifest | undefined {
  return [...manifests]
    .filter((m) => Date.parse(m.finishedAt) <= at)
    .sort(byCompletion)
    .at(-1);
}
