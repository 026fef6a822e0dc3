// A backup in progress, recorded in the repository as it goes so that an interrupted backup (kill -9,
// a lost network, a reboot) is resumed instead of read again: the run (what is being backed up, and
// the plan of metrics) and journal entries (which windows of which metric are stored, as chunks).
// docs/FORMAT.md section 7 describes both. Neither makes a backup exist: only a manifest does.

import { z } from 'zod';
import { BACKUP_ID, backupFields, backupSetSchema, chunkEntrySchema } from './manifest.js';
import { seriesAnnotationSchema, tsMetaSchema } from './metadata-object.js';

export const RUN_FORMAT = 'tsdb-backup-run';
export const RUN_JOURNAL_FORMAT = 'tsdb-backup-run-journal';
export const RUN_VERSION = 1;

const int = z.number().int();
const count = int.nonnegative();

export const backupRunSchema = z.object({
  format: z.literal(RUN_FORMAT),
  version: z.literal(RUN_VERSION),
  /** As in the manifest it will write, under the same id. */
  ...backupFields,
  chainStart: int,
  /** One shard of a backup set (`--shard i/n --set <name>`): a run of another shard is another backup. */
  set: backupSetSchema.optional(),
  startedAt: z.string().datetime(),
  /** The metrics discovered when the run began: a resumed run backs up these, without discovering again. */
  plan: z.array(z.string().min(1)),
});

/**
 * Metadata the run collected since the previous entry (section 3.3's content, before UID metadata is
 * read): annotations of the series read, the UIDs (hex) their TSUIDs name, and TS metadata.
 */
export const collectedMetadataSchema = z.object({
  annotations: z.array(seriesAnnotationSchema),
  uids: z.object({ metric: z.array(z.string()), tagk: z.array(z.string()), tagv: z.array(z.string()) }),
  tsMeta: z.array(tsMetaSchema),
});

/** What one metric has stored since the last entry: whole windows, newest first. */
export const runProgressSchema = z.object({
  metric: z.string().min(1),
  /** Chunks of the windows stored since the metric's previous entry. */
  chunks: z.array(chunkEntrySchema),
  /** Every point from here to the end of the range is stored (the oldest window's start, ms). */
  storedFrom: int,
  /** Metadata collected up to this entry and not in an earlier one (of any metric). */
  metadata: collectedMetadataSchema.optional(),
  /** Present once the metric is complete: its distinct series over the whole range. */
  done: z.object({ series: count }).optional(),
});

export const runJournalSchema = z.object({
  format: z.literal(RUN_JOURNAL_FORMAT),
  version: z.literal(RUN_VERSION),
  run: z.string().regex(BACKUP_ID),
  seq: count,
  progress: z.array(runProgressSchema),
});

export type BackupRun = z.infer<typeof backupRunSchema>;
export type RunProgress = z.infer<typeof runProgressSchema>;
export type RunJournal = z.infer<typeof runJournalSchema>;
export type CollectedMetadata = z.infer<typeof collectedMetadataSchema>;
