// One process at a time per replication state: two replicators (or a replicator and a failover) on the
// same state would move its checkpoints past each other. (A restore journal is guarded the same way.) A lock file beside the state, created with
// O_EXCL, holds the owner's host and pid; a lock left by a process of this host that no longer runs is
// taken over (kill -9, a reboot), one of another host is not.

import { constants } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { TsdbBackupError } from '../errors.js';
import { processAlive } from '../os/process-alive.js';
import { PRIVATE_FILE_MODE } from '../fs/private-modes.js';

interface LockOwner {
  host: string;
  pid: number;
  /** When the owning process started (ms): tells a process from an earlier one with the same pid. */
  processStart?: number;
  command: string;
  since: string;
}

const PROCESS_START = Date.now() - Math.round(process.uptime() * 1000);

async function tryCreate(file: string, owner: LockOwner): Promise<boolean> {
  try {
    const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(`${JSON.stringify(owner)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new TsdbBackupError('STATE_INVALID', `cannot create the lock ${file}: ${(err as Error).message}`, {
      hint: 'check the permissions of the state file directory',
    });
  }
}

/** What the lock guards, for the refusal: a replication state unless said otherwise (a restore journal). */
export interface LockedThing {
  what: string;
  hint: string;
}

const REPLICATION_STATE: LockedThing = { what: 'the replication state', hint: 'stop that process first (failover and failback need the replicator stopped)' };

/** Takes the lock of `stateFile` for `command`; the returned function releases it. */
export async function lockState(stateFile: string, command: string, now: Date, thing: LockedThing = REPLICATION_STATE): Promise<() => Promise<void>> {
  const file = `${stateFile}.lock`;
  const me: LockOwner = { host: hostname(), pid: process.pid, processStart: PROCESS_START, command, since: now.toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await tryCreate(file, me)) return async () => void (await unlink(file).catch(() => undefined));
    let owner: LockOwner | undefined;
    try {
      owner = JSON.parse(await readFile(file, 'utf8')) as LockOwner;
    } catch {
      owner = undefined; // half-written by a process killed while creating it: treat as stale below
    }
    // Our own pid but another process start: an earlier process with the same pid (a container's pid 1
    // after kill -9 or OOM).
    const earlierSamePid = owner?.pid === me.pid && Math.abs((owner.processStart ?? 0) - PROCESS_START) > 2000;
    const stale = !owner || (owner.host === me.host && (earlierSamePid || !processAlive(owner.pid)));
    if (!stale) {
      throw new TsdbBackupError(
        'LOCKED',
        `${thing.what} ${stateFile} is in use by ${owner!.command} (pid ${owner!.pid} on ${owner!.host}, since ${owner!.since})`,
        {
          hint: `${thing.hint}; if it is gone for good, remove ${file}`,
        },
      );
    }
    // Take it over by renaming: of several processes that saw the same stale lock, one moves it away;
    // the others find it gone (or fresh) and try again.
    const aside = `${file}.stale-${me.pid}-${Date.now()}`;
    try {
      await rename(file, aside);
    } catch {
      continue; // gone meanwhile
    }
    const moved = await readFile(aside, 'utf8').catch(() => '');
    if (owner && moved.trim() !== JSON.stringify(owner)) {
      // A fresh lock, taken since we read the stale one: put it back.
      await rename(aside, file).catch(() => undefined);
      continue;
    }
    await unlink(aside).catch(() => undefined);
  }
  throw new TsdbBackupError('LOCKED', `cannot take the lock ${file}: another process keeps creating it`);
}
