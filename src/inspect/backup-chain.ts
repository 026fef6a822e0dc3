// Which backup an inspection command works on, and its chain: the named one, or the newest (of a source).

import type { Manifest } from '../format/manifest.js';
import { byCompletion, resolveChain } from '../repository/chain.js';
import { BackupNotFoundError } from '../repository/errors.js';
import type { Repository } from '../repository/repository.js';
import { backupsOfSource } from '../repository/sources.js';

export interface BackupChoice {
  backupId?: string;
  /** Without an id: the newest backup of this source (name or URL); required when the repository holds several. */
  source?: string;
}

export interface ChosenBackup {
  /** Every readable manifest of the repository. */
  all: Manifest[];
  target: Manifest;
  /** The target's chain, the full backup first. A broken chain is an error (exit 4). */
  chain: Manifest[];
}

export async function chooseBackupChain(repo: Repository, choice: BackupChoice, signal?: AbortSignal): Promise<ChosenBackup> {
  const { manifests } = await repo.manifests({ signal });
  let target: Manifest | undefined;
  if (choice.backupId) target = manifests.find((m) => m.id === choice.backupId) ?? (await repo.readManifest(choice.backupId, { signal }));
  else target = [...backupsOfSource(manifests, choice.source, repo.toString())].sort(byCompletion).at(-1);
  if (!target) throw new BackupNotFoundError(`${repo} holds no complete backup${choice.source !== undefined ? ` of source '${choice.source}'` : ''}`);
  return { all: manifests, target, chain: resolveChain(manifests.some((m) => m.id === target.id) ? manifests : [...manifests, target], target.id) };
}
