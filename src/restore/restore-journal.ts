// The restore journal: which chunks of a restore are completely written (every put of the chunk
// acknowledged by the TSD with ?sync&details, no point rejected), so that `restore --resume` skips them,
// and of the chunks being written, which points of the chunk's point stream are (written-ranges.ts; a
// chunk of the backup may hold 100,000 points: rewriting whole chunks would add a third to a resumed
// restore's work when a few large ones were in flight).
// It lives in a local state directory, never in the repository (a restore reads a repository that may be
// read-only) nor in the target (it would be a series of its own). One file per restore, named by a hash of
// what decides the points written (repository, backup and chain, target, selection, transform), whose
// first line records those facts in full: a journal is used only by the very same restore.
//
// The file is JSON Lines, appended as chunks finish ({"chunk":id,"points":n}) and as their written
// ranges grow ({"chunk":id,"ranges":[[from,to],...]}; they add up): a record is written at once (one write,
// so a killed process loses none; range records that pile up while a write is under way go in the next one)
// and fsynced at most once a second, since a record lost to a power cut only means
// that chunk is written again, which is harmless (OpenTSDB keeps one cell for identical points). A kill
// during a write can leave a torn last line: it is dropped (that chunk is written again); damage anywhere
// else is reported, because it is not what a crash leaves. The journal is removed once it records every
// chunk of the restore.

import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { TsdbBackupError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { makeDirectory } from '../fs/make-directory.js';
import { PRIVATE_DIR_MODE } from '../fs/private-modes.js';
import { lockState } from '../replicate/state-lock.js';
import { WrittenRanges, type OrdinalRange } from './written-ranges.js';

export const JOURNAL_FORMAT = 'tsdb-backup-restore-journal';
export const JOURNAL_VERSION = 1;
/** At most one fsync per this many ms: records between are written at once but synced together. */
export const JOURNAL_SYNC_MS = 1000;

/** What decides the points a restore writes: two restores with equal keys write the same points. */
export interface RestoreKey {
  repository: string;
  backupId: string;
  chain: string[];
  target: string;
  metrics: string[];
  exclude: string[];
  start: number;
  end: number;
  renameMetric: Array<{ from: string; to: string }>;
  tagMap: unknown[];
  shiftMs: number;
  /** `restore --shard i/n`: the shards of one restore, run at once, are restores of their own. */
  shard?: string;
}

export interface JournalHeader {
  format: typeof JOURNAL_FORMAT;
  version: number;
  key: RestoreKey;
  startedAt: string;
  /** Chunks the restore writes in all. */
  chunks: number;
}

/** What an earlier, interrupted run of the same restore wrote. */
export interface JournalState {
  file: string;
  startedAt: string;
  /** Chunk id -> its points. */
  done: Map<string, number>;
  /** Chunk id (not done) -> the points of its stream that are written. */
  partial: Map<string, WrittenRanges>;
  /** A torn last line (a kill during a write) was dropped. */
  tornTail: boolean;
}

export class JournalInvalidError extends TsdbBackupError {
  constructor(message: string) {
    super('STATE_INVALID', message, { hint: 'remove the file and run the restore without --resume: it then writes every chunk again, which is harmless' });
  }
}

/** Where journals live unless --state-dir says: $XDG_STATE_HOME/tsdb-backup/restore, else ~/.local/state/tsdb-backup/restore. */
export function defaultStateDir(env: Record<string, string | undefined>, home: string): string {
  const base = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(env.HOME || home, '.local', 'state');
  return path.join(base, 'tsdb-backup', 'restore');
}

/** The id of a planned chunk in a journal: the backup it belongs to and its key. */
export function journalChunkId(backupId: string, chunkKey: string): string {
  return `${backupId}/${chunkKey}`;
}

function journalFile(dir: string, key: RestoreKey): string {
  const hash = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 24);
  return path.join(dir, `restore-${hash}.jsonl`);
}

const describeTime = (ms: number): string => (ms <= Number.MIN_SAFE_INTEGER || ms >= Number.MAX_SAFE_INTEGER ? 'unbounded' : new Date(ms).toISOString());

/** The fields in which two keys differ, in words. */
export function keyDifferences(journal: RestoreKey, wanted: RestoreKey): string[] {
  const out: string[] = [];
  const field = (name: keyof RestoreKey, words: string, show: (v: RestoreKey[typeof name]) => string = (v) => JSON.stringify(v)) => {
    if (JSON.stringify(journal[name]) !== JSON.stringify(wanted[name]))
      out.push(`${words}: the journal has ${show(journal[name])}, this restore ${show(wanted[name])}`);
  };
  field('repository', 'repository id');
  field('backupId', 'backup');
  field('chain', 'chain');
  field('target', 'target');
  field('metrics', '--metric');
  field('exclude', '--exclude');
  field('start', '--start', (v) => describeTime(v as number));
  field('end', '--end', (v) => describeTime(v as number));
  field('renameMetric', '--rename-metric');
  field('tagMap', '--tag-map');
  field('shiftMs', '--shift (ms)');
  field('shard', '--shard', (v) => (v === undefined ? 'none' : String(v)));
  return out;
}

interface ParsedJournal {
  header: JournalHeader;
  done: Map<string, number>;
  partial: Map<string, WrittenRanges>;
  /** Bytes of the file up to the end of the last whole line. */
  validBytes: number;
  tornTail: boolean;
}

function parseJournal(file: string, text: string): ParsedJournal {
  const lines = text.split('\n');
  // The last element is what follows the last newline: empty, or a line a kill cut short.
  const tail = lines.pop()!;
  const tornTail = tail.length > 0;
  let header: JournalHeader | undefined;
  const done = new Map<string, number>();
  const partial = new Map<string, WrittenRanges>();
  const count = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  const ranges = (v: unknown): v is OrdinalRange[] =>
    Array.isArray(v) && v.every((r) => Array.isArray(r) && r.length === 2 && count(r[0]) && count(r[1]) && r[0] < r[1]);
  for (let i = 0; i < lines.length; i++) {
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(lines[i]!) as Record<string, unknown>;
    } catch {
      throw new JournalInvalidError(
        `the restore journal ${file} is damaged at line ${i + 1} of ${lines.length + (tornTail ? 1 : 0)}: not JSON: ${lines[i]!.slice(0, 80)}`,
      );
    }
    if (i === 0) {
      if (doc.format !== JOURNAL_FORMAT || typeof doc.key !== 'object' || doc.key === null)
        throw new JournalInvalidError(`${file} is not a tsdb-backup restore journal (its first line has no format '${JOURNAL_FORMAT}')`);
      if (typeof doc.version !== 'number' || doc.version > JOURNAL_VERSION)
        throw new JournalInvalidError(`the restore journal ${file} has version ${String(doc.version)}; this tsdb-backup reads up to ${JOURNAL_VERSION}`);
      header = doc as unknown as JournalHeader;
      continue;
    }
    if (typeof doc.chunk === 'string' && count(doc.points)) done.set(doc.chunk, doc.points as number);
    else if (typeof doc.chunk === 'string' && ranges(doc.ranges)) {
      const w = partial.get(doc.chunk) ?? new WrittenRanges();
      for (const [a, b] of doc.ranges) w.add(a, b);
      partial.set(doc.chunk, w);
    } else
      throw new JournalInvalidError(
        `the restore journal ${file} is damaged at line ${i + 1}: expected {"chunk":"<backup>/<key>","points":<n>} or {"chunk":..,"ranges":[[<from>,<to>],..]}, got ${lines[i]!.slice(0, 80)}`,
      );
  }
  if (!header) throw new JournalInvalidError(`the restore journal ${file} has no header line${tornTail ? ' (only a torn one)' : ''}`);
  for (const id of done.keys()) partial.delete(id);
  return { header, done, partial, validBytes: Buffer.byteLength(text) - Buffer.byteLength(tail), tornTail };
}

async function readJournal(file: string): Promise<ParsedJournal | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new JournalInvalidError(`cannot read the restore journal ${file}: ${(err as Error).message}`);
  }
  return parseJournal(file, text);
}

/** Journals in `dir` of other restores into the same target from the same repository (for a refusal that says why). */
async function relatedJournals(dir: string, key: RestoreKey, except: string): Promise<Array<{ file: string; header: JournalHeader }>> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: Array<{ file: string; header: JournalHeader }> = [];
  for (const name of names.filter((n) => n.startsWith('restore-') && n.endsWith('.jsonl')).sort()) {
    const file = path.join(dir, name);
    if (file === except) continue;
    const parsed = await readJournal(file).catch(() => undefined);
    if (parsed && parsed.header.key.repository === key.repository && parsed.header.key.target === key.target) out.push({ file, header: parsed.header });
  }
  return out;
}

export interface OpenJournalOptions {
  dir: string;
  key: RestoreKey;
  resume: boolean;
  chunks: number;
  now: Date;
}

export interface OpenedJournal {
  journal: RestoreJournal;
  /** With resume: what the interrupted run recorded. */
  resumed?: JournalState;
  /** Without resume: the journal of an interrupted run of the same restore, now replaced. */
  replaced?: JournalState;
  /** With resume but no journal of this restore: nothing to skip. */
  nothingToResume?: boolean;
}

/**
 * Opens the journal of the restore `key`. With resume it continues the one an interrupted run left (a
 * journal of another restore into the same target is refused, naming what differs); without, it starts
 * afresh and says what the old one held.
 */
export async function openJournal(o: OpenJournalOptions): Promise<OpenedJournal> {
  try {
    await makeDirectory(o.dir, PRIVATE_DIR_MODE);
  } catch (err) {
    throw new UsageError(`cannot create the restore state directory ${o.dir}: ${(err as Error).message}`, {
      cause: err,
      hint: 'choose a writable one with --state-dir',
    });
  }
  const file = journalFile(o.dir, o.key);
  // Two runs of one restore at once would write over each other's records.
  const unlock = await lockState(file, 'restore', o.now, { what: 'the restore journal', hint: 'the same restore is running: wait for it, or stop it' });
  try {
    return await openLocked(o, file, unlock);
  } catch (err) {
    await unlock();
    throw err;
  }
}

async function openLocked(o: OpenJournalOptions, file: string, unlock: () => Promise<void>): Promise<OpenedJournal> {
  // A fresh run replaces whatever is there; only a resumed one depends on the old journal being sound.
  const old = o.resume ? await readJournal(file) : await readJournal(file).catch(() => undefined);
  if (old && o.resume) {
    const diff = keyDifferences(old.header.key, o.key);
    if (diff.length > 0) throw new JournalInvalidError(`the restore journal ${file} belongs to another restore (${diff.join('; ')})`);
  }
  const state = (p: ParsedJournal): JournalState => ({ file, startedAt: p.header.startedAt, done: p.done, partial: p.partial, tornTail: p.tornTail });
  if (o.resume && old) {
    const handle = await open(file, constants.O_WRONLY);
    // A torn last line goes, so that the next record starts on a line of its own.
    if (old.tornTail) await handle.truncate(old.validBytes);
    return { journal: new RestoreJournal(file, handle, old.validBytes, unlock), resumed: state(old) };
  }
  if (o.resume) {
    const others = await relatedJournals(o.dir, o.key, file);
    if (others.length > 0) {
      const o0 = others[0]!;
      throw new UsageError(
        `restore --resume: the interrupted restore into ${o.key.target} in ${o.dir} was another one (${keyDifferences(o0.header.key, o.key).join('; ')}); its journal is ${o0.file}`,
        {
          hint: 'resume it with the options it was started with, or run this restore without --resume (it then writes every chunk)',
        },
      );
    }
  }
  const header: JournalHeader = { format: JOURNAL_FORMAT, version: JOURNAL_VERSION, key: o.key, startedAt: o.now.toISOString(), chunks: o.chunks };
  const first = `${JSON.stringify(header)}\n`;
  await writeFileAtomic(file, first);
  const handle = await open(file, constants.O_WRONLY);
  return {
    journal: new RestoreJournal(file, handle, Buffer.byteLength(first), unlock),
    ...(old ? { replaced: state(old) } : {}),
    ...(o.resume ? { nothingToResume: true } : {}),
  };
}

/** Appends the chunks written; see the module header for the durability rules. */
export class RestoreJournal {
  private lastSync = 0;
  private pendingSync = false;
  private writing: Promise<void> = Promise.resolve();
  private syncing: Promise<void> | undefined;
  private syncFailure: unknown;
  /** Range records waiting for the write under way to end. */
  private readonly prefixes = new Map<string, WrittenRanges>();
  private prefixFailure: unknown;
  /** Whether this run recorded anything (a chunk, or points of one). */
  recordedAny = false;

  constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    private position: number,
    private readonly unlock: () => Promise<void>,
  ) {}

  /** Records which points of a chunk's stream are written (as they are when the record is written; coalesced). */
  ranges(chunkId: string, written: WrittenRanges): void {
    this.recordedAny = true;
    const queued = this.prefixes.size > 0;
    this.prefixes.set(chunkId, written);
    if (queued) return; // the write already queued takes this one too
    this.append(() => {
      const lines = [...this.prefixes].map(([chunk, w]) => `${JSON.stringify({ chunk, ranges: w.toJSON() })}\n`).join('');
      this.prefixes.clear();
      return lines;
    }).catch((err: unknown) => (this.prefixFailure ??= err));
  }

  /** Records a chunk as completely written. Records are written in order, one write each. */
  async record(chunkId: string, points: number): Promise<void> {
    if (this.prefixFailure) throw this.prefixFailure;
    if (this.syncFailure)
      throw new TsdbBackupError('STATE_INVALID', `cannot sync the restore journal ${this.file}: ${(this.syncFailure as Error).message}`, {
        cause: this.syncFailure,
      });
    this.recordedAny = true;
    this.prefixes.delete(chunkId);
    await this.append(() => `${JSON.stringify({ chunk: chunkId, points })}\n`);
  }

  private append(text: () => string): Promise<void> {
    const next = this.writing.then(async () => {
      const line = Buffer.from(text());
      await this.handle.write(line, 0, line.length, this.position);
      this.position += line.length;
      this.pendingSync = true;
      // The sync runs beside the next writes: waiting for it (long on a disk the TSD's HBase keeps busy)
      // would hold back records of points already acknowledged, which a kill meanwhile sends again.
      if (Date.now() - this.lastSync >= JOURNAL_SYNC_MS && !this.syncing) {
        this.syncing = this.sync()
          .catch(() => undefined) // kept in syncFailure: the next record or close reports it
          .finally(() => (this.syncing = undefined));
      }
    });
    this.writing = next.catch(() => undefined);
    return next.catch((err: unknown) => {
      throw new TsdbBackupError('STATE_INVALID', `cannot write the restore journal ${this.file}: ${(err as Error).message}`, { cause: err });
    });
  }

  private async sync(): Promise<void> {
    if (this.syncFailure) throw this.syncFailure;
    if (!this.pendingSync) return;
    this.pendingSync = false;
    this.lastSync = Date.now();
    await this.handle.datasync().catch((err: unknown) => {
      this.syncFailure ??= err;
      throw err;
    });
  }

  /** Syncs and closes (the journal stays for --resume). */
  async close(): Promise<void> {
    await this.writing;
    await this.syncing?.catch(() => undefined);
    try {
      await this.sync();
    } finally {
      await this.handle.close();
      await this.unlock();
    }
  }

  /** The restore failed: keeps the journal for --resume, unless it records nothing (then there is nothing to resume). */
  async abandon(resumed = false): Promise<void> {
    // The failure that stops the restore is what it reports, not a journal that cannot be closed cleanly.
    if (this.recordedAny || resumed) await this.close().catch(() => undefined);
    else await this.remove().catch(() => undefined);
  }

  /** Closes and deletes it: the restore wrote every chunk. */
  async remove(): Promise<void> {
    await this.writing;
    await this.syncing?.catch(() => undefined);
    await this.handle.close();
    try {
      await unlink(this.file).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      });
    } finally {
      await this.unlock();
    }
  }
}
