// Runs a command's core function on the repository, under its lock, and records its outcome in the
// status file. Only a backup creates a repository; every other command first proves one exists, so a
// mistyped --repo creates nothing (not even a lock file) before it fails.

import { withLock, type HeldLock } from '../repository/lock.js';
import { Repository } from '../repository/repository.js';
import { writeStatusFile } from '../status/status-file.js';
import type { Storage } from '../storage/storage.js';
import type { CliIo } from './cli-io.js';
import { exitCodeFor } from './exit-codes.js';
import { durationMs } from './option-parsers.js';

export interface GuardOptions {
  command: string;
  lock: 'exclusive' | 'shared';
  /** Read-only commands may run without a lock (--no-lock): on a read-only snapshot or with read-only credentials. */
  noLock?: boolean;
  /** 'create': a backup, which initializes an empty location; 'existing': every other command. */
  repository: 'create' | 'existing';
  waitLock?: string;
  statusFile?: string;
  /** Checks that run before the lock is taken or the repository touched (e.g. that the source answers). */
  preflight?: () => Promise<void>;
}

export interface RunFigures {
  points: number;
  bytes: number;
  backupId?: string;
}

/** What a guarded run's body gets: the signal to pass on (Ctrl-C, or the lock lost), and the lock to check before committing. */
export interface Guard {
  signal: AbortSignal | undefined;
  lock: Pick<HeldLock, 'assertHeld'>;
  repository: Repository;
}

const NO_LOCK: Pick<HeldLock, 'assertHeld'> = { assertHeld: async () => undefined };

export async function guardedRun<T>(io: CliIo, storage: Storage, g: GuardOptions, fn: (guard: Guard) => Promise<T>, figures: (r: T) => RunFigures): Promise<T> {
  const waitMs = g.waitLock ? durationMs('--wait-lock', g.waitLock) : 0;
  const started = io.now().getTime();
  const record = async (success: boolean, f: RunFigures, exitCode: number, error?: string): Promise<void> => {
    if (!g.statusFile) return;
    const finished = io.now().getTime();
    try {
      await writeStatusFile(g.statusFile, {
        command: g.command,
        success,
        startedAt: started / 1000,
        finishedAt: finished / 1000,
        durationSeconds: (finished - started) / 1000,
        exitCode,
        error,
        ...f,
      });
    } catch (err) {
      io.stderr(`warning: cannot write the status file ${g.statusFile}: ${(err as Error).message}\n`);
    }
  };
  try {
    await g.preflight?.();
    const existing = g.repository === 'existing' ? await Repository.open(storage, { signal: io.signal }) : undefined;
    const open = async (signal: AbortSignal | undefined): Promise<Repository> => existing ?? Repository.openOrInit(storage, io.now(), { signal });
    const result = g.noLock
      ? await fn({ lock: NO_LOCK, signal: io.signal, repository: await open(io.signal) })
      : await withLock(storage, { kind: g.lock, command: g.command, waitMs, signal: io.signal, now: io.now, warn: (m) => io.stderr(`warning: ${m}\n`) }, async (lock) => {
          const signal = io.signal ? AbortSignal.any([io.signal, lock.signal]) : lock.signal;
          return fn({ lock, signal, repository: await open(signal) });
        });
    await record(true, figures(result), 0);
    return result;
  } catch (err) {
    await record(false, { points: 0, bytes: 0 }, exitCodeFor(err), (err as Error).message);
    throw err;
  }
}
