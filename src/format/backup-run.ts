// A backup in progress, recorded in the repository as it goes so that an interrupted backup (kill -9,
// a lost network, a reboot) is resumed instead of read again: the run (what is being backed up, and
// the plan of metrics) and journal entries (which windows of which metric are stored, as chunks).
// docs/FORMAT.md section 7 describes both. Neither makes a backup exist: only a manifest does.

import * as v from '../validation/schema.js';
import { BACKUP_ID, backupFields, backupSetSchema, chunkEntrySchema } from './manifest.js';
import { seriesAnnotationSchema, tsMetaSchema } from './metadata-object.js';

export const RUN_FORMAT = 'tsdb-backup-run';
export const RUN_JOURNAL_FORMAT = 'tsdb-backup-run-journal';
export const RUN_VERSION = 1;

const int = v.number().int();
const count = int.nonnegative();

export const backupRunSchema = v.object({
  format: v.literal(RUN_FORMAT),
  version: v.literal(RUN_VERSION),
  /** As in the manifest it will write, under the same id. */
  ...backupFields,
  chainStart: int,
  /** One shard of a backup set (`--shard i/n --set <name>`): a run of another shard is another backup. */
  set: backupSetSchema.optional(),
  startedAt: v.string().datetime(),
  /** The metrics discovered when the run began: a resumed run backs up these, without discovering again. */
  plan: v.array(v.string().min(1)),
});

/**
 * Metadata the run collected since the previous entry (section 3.3's content, before UID metadata is
 * read): annotations of the series read, the UIDs (hex) their TSUIDs name, and TS metadata.
 */
export const collectedMetadataSchema = v.object({
  annotations: v.array(seriesAnnotationSchema),
  uids: v.object({ metric: v.array(v.string()), tagk: v.array(v.string()), tagv: v.array(v.string()) }),
  tsMeta: v.array(tsMetaSchema),
});

/** What one metric has stored since the last entry: whole windows, newest first. */
export const runProgressSchema = v.object({
  metric: v.string().min(1),
  /** Chunks of the windows stored since the metric's previous entry. */
  chunks: v.array(chunkEntrySchema),
  /** Every point from here to the end of the range is stored (the oldest window's start, ms). */
  storedFrom: int,
  /** Metadata collected up to this entry and not in an earlier one (of any metric). */
  metadata: collectedMetadataSchema.optional(),
  /** Present once the metric is complete: its distinct series over the whole range. */
  done: v.object({ series: count }).optional(),
});

export const runJournalSchema = v.object({
  format: v.literal(RUN_JOURNAL_FORMAT),
  version: v.literal(RUN_VERSION),
  run: v.string().regex(BACKUP_ID),
  seq: count,
  progress: v.array(runProgressSchema),
});

export type BackupRun = v.Infer<typeof backupRunSchema>;
export type RunProgress = v.Infer<typeof runProgressSchema>;
export type RunJournal = v.Infer<typeof runJournalSchema>;
export type CollectedMetadata = v.Infer<typeof collectedMetadataSchema>;
