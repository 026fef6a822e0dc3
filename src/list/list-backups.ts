// The backups in a repository, oldest first, with what each one covers.

import type { Manifest } from '../format/manifest.js';
import type { Repository } from '../repository/repository.js';

export interface BackupListing {
  id: string;
  type: Manifest['type'];
  parent: string | null;
  source: string;
  range: { start: string; end: string };
  startedAt: string;
  finishedAt: string;
  metrics: number;
  series: number;
  points: number;
  chunks: number;
  bytes: number;
}

export interface ListResult {
  repository: string;
  backups: BackupListing[];
  unreadable: Array<{ id: string; error: string }>;
}

export async function listBackups(deps: { repository: Repository; signal?: AbortSignal }): Promise<ListResult> {
  const { manifests, unreadable } = await deps.repository.manifests({ signal: deps.signal });
  return {
    repository: deps.repository.toString(),
    backups: manifests.map((m) => ({
      id: m.id,
      type: m.type,
      parent: m.parent,
      source: m.source.url,
      range: { start: new Date(m.range.start).toISOString(), end: new Date(m.range.end).toISOString() },
      startedAt: m.startedAt,
      finishedAt: m.finishedAt,
      ...m.totals,
    })),
    unreadable: unreadable.map((u) => ({ id: u.id, error: u.error.message })),
  };
}
