// Which shard a metric belongs to, for `--shard i/n`: n processes (e.g. the pods of a Kubernetes
// Indexed Job) each back up or restore the metrics of their own shard, and together all of them.
//
// The assignment must never change between versions or machines (a set's shards are written by
// different processes, maybe by different releases), so it is spelled out here and in docs/FORMAT.md:
//   shard(name, n) = (first 4 bytes of SHA-256(UTF-8 bytes of name), read as a big-endian uint32) mod n
// Shard indexes are 0-based, like Kubernetes' JOB_COMPLETION_INDEX: `--shard $JOB_COMPLETION_INDEX/4`.

import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { MetricSelection } from '../fetch/metric-selection.js';

/** Shards of a set: enough for any cluster, small enough that a typo (e.g. 0/40000) is caught. */
export const MAX_SHARDS = 1024;

export interface ShardSpec {
  /** 0-based. */
  index: number;
  count: number;
}

export function shardOf(metric: string, count: number): number {
  return createHash('sha256').update(metric, 'utf8').digest().readUInt32BE(0) % count;
}

export function inShard(metric: string, shard: ShardSpec): boolean {
  return shardOf(metric, shard.count) === shard.index;
}

/** Parses `i/n` (0 <= i < n <= MAX_SHARDS); every failure names the option and the value. */
export function parseShard(option: string, value: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!m) throw new UsageError(`${option} must be i/n (shard i of n, 0-based: 0/4 .. 3/4), not '${value}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new UsageError(`${option}: the number of shards must be from 1 to ${MAX_SHARDS}, not ${m[2]} (in '${value}')`);
  if (index >= count) {
    throw new UsageError(
      `${option}: shard ${index} does not exist in ${count} shards: indexes are 0-based, 0 to ${count - 1} (Kubernetes' JOB_COMPLETION_INDEX is too), in '${value}'`,
    );
  }
  return { index, count };
}

/** A selection narrowed to one shard; the unsharded selection when `shard` is undefined. */
export function shardSelection(selection: MetricSelection, shard: ShardSpec | undefined): MetricSelection {
  if (!shard) return selection;
  return { ...selection, exact: selection.exact.filter((m) => inShard(m, shard)), matches: (name) => selection.matches(name) && inShard(name, shard) };
}

export function describeShard(shard: ShardSpec): string {
  return `${shard.index}/${shard.count}`;
}
