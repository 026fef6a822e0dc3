// Which cluster a backup is of. A repository may hold backups of several sources; chains, retention and
// "the newest backup" are per source. A source is identified by the name an operator gave it
// (`--name`), or else by its URL normalized so that one TSD spelled two ways is one source: scheme and
// host in lower case, no credentials, no trailing slash, and the names of this host (localhost,
// 127.0.0.1, ::1) as one; other loopback addresses (127.0.0.2, ...) stay apart.

import { UsageError } from '../errors.js';
import type { Manifest } from '../format/manifest.js';
import { byCompletion, resolveChain } from './chain.js';

export interface SourceRef {
  url: string;
  name?: string;
}

/** The usual names of this host. Other 127.x.x.x addresses are different endpoints (SSH tunnels, containers). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '127.0.0.1';
}

/** The URL's identity: the same for every spelling of one TSD endpoint that tsdb-backup can tell apart. */
export function normalizeSourceUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.trim().replace(/\/+$/, '');
  }
  u.username = '';
  u.password = '';
  if (isLoopback(u.hostname)) u.hostname = 'localhost';
  u.hash = '';
  return u.toString().replace(/\/+$/, '');
}

/** The key backups are grouped by: the given name, else the normalized URL. */
export function sourceKey(s: SourceRef): string {
  return s.name ? `name:${s.name}` : `url:${normalizeSourceUrl(s.url)}`;
}

/** How a source is shown to an operator. */
export function sourceLabel(s: SourceRef): string {
  return s.name ? `${s.name} (${s.url})` : s.url;
}

/** Whether `wanted` (a source name or a URL, as an operator typed it) names this backup's source. */
export function matchesSource(m: Manifest, wanted: string): boolean {
  if (m.source.name !== undefined && m.source.name === wanted) return true;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(wanted) && normalizeSourceUrl(wanted) === normalizeSourceUrl(m.source.url);
}

/** Backups grouped by source, each group oldest first. */
export function groupBySource(manifests: readonly Manifest[]): Map<string, Manifest[]> {
  const groups = new Map<string, Manifest[]>();
  for (const m of [...manifests].sort(byCompletion)) {
    const key = sourceKey(m.source);
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  return groups;
}

/**
 * The backups a command without a backup id works on: those of `wanted`, or, when none is named, all of
 * them provided they are of one source. With several sources and none named the choice would be a
 * guess, so it is refused.
 */
export function backupsOfSource(manifests: readonly Manifest[], wanted: string | undefined, where: string): Manifest[] {
  if (wanted !== undefined) return manifests.filter((m) => matchesSource(m, wanted));
  const groups = groupBySource(manifests);
  if (groups.size > 1) {
    const labels = [...groups.values()].map((g) => `  ${sourceLabel(g.at(-1)!.source)}`).join('\n');
    throw new UsageError(`${where} holds backups of ${groups.size} sources; say which one with --source <name or url>, or give a backup id:\n${labels}`);
  }
  return [...manifests];
}

/** A selection written so that equal selections compare equal (order and repeats do not matter). */
export function selectionKey(s: { metrics: readonly string[]; exclude?: readonly string[] }): string {
  const norm = (a: readonly string[] = []): string[] => [...new Set(a)].sort();
  return JSON.stringify([norm(s.metrics), norm(s.exclude)]);
}

/**
 * The selection of the full backup a backup's chain starts from (its own when the chain is broken):
 * what the chain as a whole backs up. Chains of one source that select differently are kept apart by
 * retention and by the choice of an incremental's parent, as restic keeps snapshots of other paths apart.
 */
export function chainSelections(manifests: readonly Manifest[]): Map<string, Manifest['selection']> {
  const out = new Map<string, Manifest['selection']>();
  for (const m of manifests) {
    let full: Manifest = m;
    try {
      full = resolveChain(manifests, m.id)[0]!;
    } catch {
      // a broken chain: the backup's own selection is all there is to go by
    }
    out.set(m.id, full.selection);
  }
  return out;
}

/** Groups for retention: one per source and chain selection, each oldest first. */
export function groupBySourceAndSelection(manifests: readonly Manifest[]): Map<string, Manifest[]> {
  const selections = chainSelections(manifests);
  const groups = new Map<string, Manifest[]>();
  for (const m of [...manifests].sort(byCompletion)) {
    const key = `${sourceKey(m.source)}\u0000${selectionKey(selections.get(m.id)!)}`;
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  return groups;
}
