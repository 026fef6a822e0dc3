// show: what one backup holds, per metric, with its chain, and how many bytes it added to the repository
// (chunks are content-addressed: a chunk an earlier backup already stored costs nothing again).

import { referencedKeys, type Manifest } from '../format/manifest.js';
import { byCompletion } from '../repository/chain.js';
import type { Repository } from '../repository/repository.js';
import { chooseBackupChain, type BackupChoice } from './backup-chain.js';

export interface ShownMetric {
  metric: string;
  series: number;
  points: number;
  /** Absent when the backup holds no point of the metric. */
  firstTimestamp?: number;
  lastTimestamp?: number;
  chunks: number;
  /** Stored bytes of its chunks. */
  bytes: number;
  /** Bytes of its chunks that no earlier backup of the repository references. */
  addedBytes: number;
}

export interface ShowResult {
  backupId: string;
  backupType: Manifest['type'];
  parentId: string | null;
  source: { name?: string; url: string; version: string };
  tool: { name: string; version: string };
  /** The time range the backup was asked for. */
  range: { start: number; end: number };
  /** Timestamps of its first and last point (absent when it holds none). */
  firstTimestamp?: number;
  lastTimestamp?: number;
  startedAt: string;
  finishedAt: string;
  chain: Array<{ backupId: string; backupType: Manifest['type']; start: number; end: number; finishedAt: string }>;
  metrics: ShownMetric[];
  /** A backup taken in shards: its set's name and number of shards. */
  set?: { name: string; shards: number };
  totals: { metrics: number; series: number; points: number; chunks: number; bytes: number; addedBytes: number };
}

function minOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function maxOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/** Chunk keys referenced by backups completed before `m`. */
function earlierKeys(all: readonly Manifest[], m: Manifest): Set<string> {
  const keys = new Set<string>();
  for (const other of all) if (other.id !== m.id && byCompletion(other, m) < 0) for (const k of referencedKeys(other)) keys.add(k);
  return keys;
}

/** Per-metric figures of a manifest; `seen` holds the keys counted as already stored (updated). */
export function describeBackup(m: Manifest, all: readonly Manifest[]): Pick<ShowResult, 'metrics' | 'totals' | 'firstTimestamp' | 'lastTimestamp'> {
  const seen = earlierKeys(all, m);
  const byMetric = new Map<string, ShownMetric>(
    m.metrics.map((x) => [x.name, { metric: x.name, series: x.series, points: 0, chunks: 0, bytes: 0, addedBytes: 0 }]),
  );
  let first: number | undefined;
  let last: number | undefined;
  for (const c of m.chunks) {
    let s = byMetric.get(c.metric);
    if (!s) byMetric.set(c.metric, (s = { metric: c.metric, series: c.series, points: 0, chunks: 0, bytes: 0, addedBytes: 0 }));
    s.points += c.points;
    s.chunks++;
    s.bytes += c.bytes;
    if (!seen.has(c.key)) {
      seen.add(c.key);
      s.addedBytes += c.bytes;
    }
    s.firstTimestamp = minOf(s.firstTimestamp, c.firstTimestamp);
    s.lastTimestamp = maxOf(s.lastTimestamp, c.lastTimestamp);
    first = minOf(first, c.firstTimestamp);
    last = maxOf(last, c.lastTimestamp);
  }
  const metrics = [...byMetric.values()].sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  const sum = (f: (x: ShownMetric) => number): number => metrics.reduce((n, x) => n + f(x), 0);
  return {
    metrics,
    totals: {
      metrics: metrics.length,
      series: sum((x) => x.series),
      points: sum((x) => x.points),
      chunks: sum((x) => x.chunks),
      bytes: sum((x) => x.bytes),
      addedBytes: sum((x) => x.addedBytes),
    },
    ...(first !== undefined ? { firstTimestamp: first, lastTimestamp: last } : {}),
  };
}

export async function showBackup(choice: BackupChoice, deps: { repository: Repository; signal?: AbortSignal }): Promise<ShowResult> {
  const { all, target: m, chain } = await chooseBackupChain(deps.repository, choice, deps.signal);
  return {
    backupId: m.id,
    backupType: m.type,
    parentId: m.parent,
    source: { ...(m.source.name !== undefined ? { name: m.source.name } : {}), url: m.source.url, version: m.source.version },
    tool: m.tool,
    range: m.range,
    startedAt: m.startedAt,
    finishedAt: m.finishedAt,
    chain: chain.map((c) => ({ backupId: c.id, backupType: c.type, start: c.range.start, end: c.range.end, finishedAt: c.finishedAt })),
    ...describeBackup(m, all),
    ...(m.set ? { set: { name: m.set.name, shards: m.set.shards } } : {}),
  };
}
