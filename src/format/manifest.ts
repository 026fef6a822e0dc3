// The manifest: the record of one complete backup. It is validated by schema whenever it is read.
// docs/FORMAT.md describes every field.

import { z } from 'zod';

export const MANIFEST_FORMAT = 'tsdb-backup-manifest';
/** Written by this version; version 1 (no `metadata`) is still read. */
export const MANIFEST_VERSION = 2;
const READABLE_VERSIONS = [1, 2] as const;
export const BACKUP_ID = /^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$/;
/** Names an operator may give a source (`--name`): short, printable, safe in file names and labels. */
export const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,99}$/;
/** Names of backup sets (`--set`): like source names, so a Kubernetes Job name fits. */
export const SET_NAME = SOURCE_NAME;

const int = z.number().int();
const count = int.nonnegative();

export const tagFilterSchema = z.object({
  type: z.enum(['literal_or', 'not_literal_or', 'wildcard', 'regexp']),
  tagk: z.string(),
  filter: z.string(),
  groupBy: z.boolean(),
});

export const chunkEntrySchema = z.object({
  // The shape of a chunk key: a manifest naming anything else (e.g. '../x') is invalid, never a storage key.
  key: z.string().regex(/^data\/[0-9a-f]{2}\/[0-9a-f]{64}$/, 'must be data/<2 hex>/<64 hex>'),
  metric: z.string().min(1),
  /** The queried window, inclusive, in ms. */
  start: int,
  end: int,
  /** Present when the window was split by series: the tag filters that selected them. */
  filters: z.array(tagFilterSchema).optional(),
  series: count,
  points: count,
  /** Timestamps of the first and last point in the chunk (absent when it holds no point). */
  firstTimestamp: int.optional(),
  lastTimestamp: int.optional(),
  bytes: count,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** An object a manifest references besides its chunks, checked by size and id like a chunk. */
const objectRefFields = {
  key: chunkEntrySchema.shape.key,
  bytes: count,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
};

/** Version 2: the annotations and metadata object (format/metadata-object.ts) and what it holds. */
export const metadataRefSchema = z.object({
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

export const metricSummarySchema = z.object({
  name: z.string().min(1),
  series: count,
  points: count,
  chunks: count,
});

/**
 * A sharded backup: one of n shard records (`shard` present, kept under sets/<name>/ until the set is
 * complete), or the one manifest merged from all n of them (`shard` absent).
 */
export const backupSetSchema = z.object({
  name: z.string().regex(SET_NAME),
  shards: int.min(1),
  shard: count.optional(),
});

/** What a backup is, shared by its manifest and by the record of a run in progress (backup-run.ts). */
export const backupFields = {
  id: z.string().regex(BACKUP_ID),
  type: z.enum(['full', 'incremental']),
  parent: z.string().regex(BACKUP_ID).nullable(),
  tool: z.object({ name: z.string(), version: z.string() }),
  /** The source TSD (no credentials) and, when the operator gave one, the cluster's name. */
  source: z.object({ url: z.string(), version: z.string(), name: z.string().regex(SOURCE_NAME).optional() }),
  range: z.object({ start: int, end: int }),
  selection: z.object({ metrics: z.array(z.string()), exclude: z.array(z.string()).optional() }),
};

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.union(READABLE_VERSIONS.map((v) => z.literal(v)) as [z.ZodLiteral<1>, z.ZodLiteral<2>]),
  ...backupFields,
  startedAt: z.string().datetime(),
  finishedAt: z.string().datetime(),
  totals: z.object({ metrics: count, series: count, points: count, chunks: count, bytes: count }),
  metrics: z.array(metricSummarySchema),
  chunks: z.array(chunkEntrySchema),
  /**
   * Version 1 only (version 2 backs annotations up in `metadata`): annotations the source reported in the
   * range, which the backup does not hold; absent when none.
   */
  annotationsOmitted: z.object({ total: count, metrics: z.record(z.string(), count) }).optional(),
  /** Version 2: annotations and metadata of what the backup covers; absent when there were none. */
  metadata: metadataRefSchema.optional(),
  /** Present when the backup was taken in shards (`--shard i/n --set <name>`); absent for an unsharded one. */
  set: backupSetSchema.optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ChunkEntry = z.infer<typeof chunkEntrySchema>;
export type MetricSummary = z.infer<typeof metricSummarySchema>;
export type MetadataRef = z.infer<typeof metadataRefSchema>;

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

export type BackupSetInfo = z.infer<typeof backupSetSchema>;

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

export function describeSchemaError(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `field '${i.path.join('.') || '(root)'}': ${i.message}`)
    .join('; ');
}
