// The manifest: the record of one complete backup. It is validated by schema whenever it is read.
// docs/FORMAT.md describes every field.

import * as v from '../validation/schema.js';

export const MANIFEST_FORMAT = 'tsdb-backup-manifest';
/** Written by this version; version 1 (no `metadata`) is still read. */
export const MANIFEST_VERSION = 2;
const READABLE_VERSIONS = [1, 2] as const;
export const BACKUP_ID = /^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$/;
/** Names an operator may give a source (`--name`): short, printable, safe in file names and labels. */
export const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,99}$/;
/** Names of backup sets (`--set`): like source names, so a Kubernetes Job name fits. */
export const SET_NAME = SOURCE_NAME;

const int = v.number().int();
const count = int.nonnegative();

export const tagFilterSchema = v.object({
  type: v.enumOf(['literal_or', 'not_literal_or', 'wildcard', 'regexp']),
  tagk: v.string(),
  filter: v.string(),
  groupBy: v.boolean(),
});

export const chunkEntrySchema = v.object({
  // The shape of a chunk key: a manifest naming anything else (e.g. '../x') is invalid, never a storage key.
  key: v.string().regex(/^data\/[0-9a-f]{2}\/[0-9a-f]{64}$/, 'must be data/<2 hex>/<64 hex>'),
  metric: v.string().min(1),
  /** The queried window, inclusive, in ms. */
  start: int,
  end: int,
  /** Present when the window was split by series: the tag filters that selected them. */
  filters: v.array(tagFilterSchema).optional(),
  series: count,
  points: count,
  /** Timestamps of the first and last point in the chunk (absent when it holds no point). */
  firstTimestamp: int.optional(),
  lastTimestamp: int.optional(),
  bytes: count,
  sha256: v.string().regex(/^[0-9a-f]{64}$/),
});

/** An object a manifest references besides its chunks, checked by size and id like a chunk. */
const objectRefFields = {
  key: chunkEntrySchema.shape.key,
  bytes: count,
  sha256: v.string().regex(/^[0-9a-f]{64}$/),
};

/** Version 2: the annotations and metadata object (format/metadata-object.ts) and what it holds. */
export const metadataRefSchema = v.object({
  ...objectRefFields,
  /** Annotations of series (remapped by metric and tags on restore). */
  annotations: count,
  /** Annotations without a series. */
  globalAnnotations: count,
  /** UID metadata of metric names, tag keys and tag values with non-default content. */
  uidMeta: count,
  /** Time-series metadata the source held for series in the backup. */
  tsMeta: count,
});

export const metricSummarySchema = v.object({
  name: v.string().min(1),
  series: count,
  points: count,
  chunks: count,
});

/**
 * A sharded backup: one of n shard records (`shard` present, kept under sets/<name>/ until the set is
 * complete), or the one manifest merged from all n of them (`shard` absent).
 */
export const backupSetSchema = v.object({
  name: v.string().regex(SET_NAME),
  shards: int.min(1),
  shard: count.optional(),
});

/** What a backup is, shared by its manifest and by the record of a run in progress (backup-run.ts). */
export const backupFields = {
  id: v.string().regex(BACKUP_ID),
  type: v.enumOf(['full', 'incremental']),
  parent: v.string().regex(BACKUP_ID).nullable(),
  tool: v.object({ name: v.string(), version: v.string() }),
  /** The source TSD (no credentials) and, when the operator gave one, the cluster's name. */
  source: v.object({ url: v.string(), version: v.string(), name: v.string().regex(SOURCE_NAME).optional() }),
  range: v.object({ start: int, end: int }),
  selection: v.object({ metrics: v.array(v.string()), exclude: v.array(v.string()).optional() }),
};

export const manifestSchema = v.object({
  format: v.literal(MANIFEST_FORMAT),
  version: v.union(READABLE_VERSIONS.map((n) => v.literal(n))),
  ...backupFields,
  startedAt: v.string().datetime(),
  finishedAt: v.string().datetime(),
  totals: v.object({ metrics: count, series: count, points: count, chunks: count, bytes: count }),
  metrics: v.array(metricSummarySchema),
  chunks: v.array(chunkEntrySchema),
  /**
   * Version 1 only (version 2 backs annotations up in `metadata`): annotations the source reported in the
   * range, which the backup does not hold; absent when none.
   */
  annotationsOmitted: v.object({ total: count, metrics: v.record(count) }).optional(),
  /** Version 2: annotations and metadata of what the backup covers; absent when there were none. */
  metadata: metadataRefSchema.optional(),
  /** Present when the backup was taken in shards (`--shard i/n --set <name>`); absent for an unsharded one. */
  set: backupSetSchema.optional(),
});

export type Manifest = v.Infer<typeof manifestSchema>;
export type ChunkEntry = v.Infer<typeof chunkEntrySchema>;
export type MetricSummary = v.Infer<typeof metricSummarySchema>;
export type MetadataRef = v.Infer<typeof metadataRefSchema>;

/**
 * Every repository object the manifest references (its chunks and its metadata object): what prune must
 * keep and verify must read. Anything that walks a backup's objects asks here, so a new object type is
 * added in one place.
 */
export function referencedKeys(m: Manifest): string[] {
  const keys = m.chunks.map((c) => c.key);
  if (m.metadata) keys.push(m.metadata.key);
  return keys;
}

export type BackupSetInfo = v.Infer<typeof backupSetSchema>;

/** A manifest's totals: sums over its metrics and chunks. */
export function manifestTotals(metrics: readonly MetricSummary[], chunks: readonly ChunkEntry[]): Manifest['totals'] {
  return {
    metrics: metrics.length,
    series: metrics.reduce((n, m) => n + m.series, 0),
    points: chunks.reduce((n, c) => n + c.points, 0),
    chunks: chunks.length,
    bytes: chunks.reduce((n, c) => n + c.bytes, 0),
  };
}

export function describeSchemaError(err: v.SchemaError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `field '${i.path.join('.') || '(root)'}': ${i.message}`)
    .join('; ');
}
