// Runs a command's core function on the repository, under its lock, and records its outcome in the
// status file. The repository is opened (and, when encrypted, unlocked with its password) before the
// lock is taken, so a mistyped --repo or a wrong password creates nothing, not even a lock file.

import { withLock, type HeldLock, type LockKind } from '../repository/lock.js';
import { Repository } from '../repository/repository.js';
import { writeStatusFile } from '../status/status-file.js';
import type { PasswordSource } from '../repository/key-store.js';
import type { Storage } from '../storage/storage.js';
import type { CliIo } from './cli-io.js';
import { exitCodeFor } from './exit-codes.js';
import { durationMs } from './option-parsers.js';
import { lockWaitReporter } from './lock-wait-line.js';
import type { ProgressReporter } from '../progress.js';

export interface GuardOptions {
  command: string;
  lock: LockKind;
  /** Read-only commands may run without a lock (--no-lock): on a read-only snapshot or with read-only credentials. */
  noLock?: boolean;
  /** Asked only when the repository is encrypted. */
  password?: PasswordSource;
  waitLock?: string;
  statusFile?: string;
  /** The cluster the run concerns (its name, else its URL), recorded in the status file. */
  source?: string;
  /** Checks that run after the repository is opened, before the lock is taken (e.g. that the source answers). */
  preflight?: () => Promise<void>;
  /** Where a wait for the lock (--wait-lock) is reported; without it, a line of its own (lock-wait-line.ts). */
  progress?: ProgressReporter;
  /** How the command prints (for that line). */
  output?: { json?: boolean; quiet?: boolean };
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
  const lockWait = g.progress ?? lockWaitReporter(io, { verb: g.command, ...g.output });
  const record = async (success: boolean, f: RunFigures, exitCode: number, error?: string): Promise<void> => {
    if (!g.statusFile) return;
    const finished = io.now().getTime();
    try {
      const written = await writeStatusFile(g.statusFile, {
        command: g.command,
        success,
        startedAt: started / 1000,
        finishedAt: finished / 1000,
        durationSeconds: (finished - started) / 1000,
        exitCode,
        error,
        ...(g.source === undefined ? {} : { source: g.source }),
        ...f,
      });
      if (written.replacedSource !== undefined) {
        const message = `the status file ${g.statusFile} held the '${g.command}' status of ${written.replacedSource}; it now holds ${g.source}'s (use one status file per cluster)`;
        // Through the progress display when there is one: a line written past a spinner is garbled.
        if (g.progress) g.progress({ type: 'warning', message });
        else io.stderr(`warning: ${message}\n`);
      }
    } catch (err) {
      io.stderr(`warning: cannot write the status file ${g.statusFile}: ${(err as Error).message}\n`);
    }
  };
  try {
    // The repository first: a password typed at the terminal is asked before any progress output.
    const repository = await Repository.open(storage, { signal: io.signal, password: g.password });
    await g.preflight?.();
    const result = g.noLock
      ? await fn({ lock: NO_LOCK, signal: io.signal, repository })
      : await withLock(
          storage,
          {
            kind: g.lock,
            command: g.command,
            waitMs,
            signal: io.signal,
            now: io.now,
            warn: (m) => io.stderr(`warning: ${m}\n`),
            waiting: (holder, waitedMs) =>
              lockWait({ type: 'lock-wait', holder: `'${holder.command}' (pid ${holder.pid} on ${holder.host}, ${holder.kind})`, waitedMs, waitMs }),
          },
          async (lock) => {
            const signal = io.signal ? AbortSignal.any([io.signal, lock.signal]) : lock.signal;
            return fn({ lock, signal, repository });
          },
        );
    await record(true, figures(result), 0);
    return result;
  } catch (err) {
    await record(false, { points: 0, bytes: 0 }, exitCodeFor(err), (err as Error).message);
    throw err;
  }
}
