// The annotations and metadata object of a backup (manifest version 2, docs/FORMAT.md section 5): one zstd
// frame of UTF-8 JSON, stored content-addressed like a chunk and validated by schema whenever it is read.

import { compress, decompress } from 'zstd-napi';
import { z } from 'zod';
import { describeSchemaError } from './manifest.js';

export const METADATA_FORMAT = 'tsdb-backup-metadata';
export const METADATA_VERSION = 1;

const text = z.string();
const custom = z.record(z.string(), z.string()).optional();
/** As the TSD gave it: seconds up to 2^32 - 1, milliseconds above (OpenTSDB keys an annotation by it). */
const annotationTime = z.number().int().nonnegative();

const annotationFields = {
  startTime: annotationTime.positive(),
  endTime: annotationTime,
  description: text,
  notes: text,
  custom,
};

export const globalAnnotationSchema = z.object(annotationFields);
export const seriesAnnotationSchema = z.object({ metric: z.string().min(1), tags: z.record(z.string(), z.string()), ...annotationFields });

const metaFields = { displayName: text, description: text, notes: text, custom };

export const uidMetaSchema = z.object({ type: z.enum(['metric', 'tagk', 'tagv']), name: z.string().min(1), ...metaFields });

/** A double the TSD may write as NaN (its default for an unset max or min), kept as a string then. */
const double = z.union([z.number(), z.literal('NaN')]);

export const tsMetaSchema = z.object({
  metric: z.string().min(1),
  tags: z.record(z.string(), z.string()),
  ...metaFields,
  units: text,
  dataType: text,
  retention: z.number().int(),
  max: double,
  min: double,
});

export const metadataObjectSchema = z.object({
  format: z.literal(METADATA_FORMAT),
  version: z.literal(METADATA_VERSION),
  annotations: z.array(seriesAnnotationSchema),
  globalAnnotations: z.array(globalAnnotationSchema),
  uidMeta: z.array(uidMetaSchema),
  tsMeta: z.array(tsMetaSchema),
});

export type GlobalAnnotation = z.infer<typeof globalAnnotationSchema>;
export type SeriesAnnotation = z.infer<typeof seriesAnnotationSchema>;
export type UidMeta = z.infer<typeof uidMetaSchema>;
export type TsMeta = z.infer<typeof tsMetaSchema>;
export type MetadataObject = z.infer<typeof metadataObjectSchema>;
export type MetadataContent = Omit<MetadataObject, 'format' | 'version'>;

export class MetadataFormatError extends Error {}

export function encodeMetadata(content: MetadataContent, zstdLevel: number): Uint8Array {
  const doc: MetadataObject = { format: METADATA_FORMAT, version: METADATA_VERSION, ...content };
  return compress(Buffer.from(JSON.stringify(metadataObjectSchema.parse(doc))), { compressionLevel: zstdLevel, checksumFlag: true });
}

export function decodeMetadata(bytes: Uint8Array): MetadataObject {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(decompress(Buffer.from(bytes))).toString('utf8'));
  } catch (err) {
    throw new MetadataFormatError(`not a zstd frame of JSON (${(err as Error).message})`);
  }
  const r = metadataObjectSchema.safeParse(doc);
  if (!r.success) throw new MetadataFormatError(`invalid: ${describeSchemaError(r.error)}`);
  return r.data;
}

/** Nothing to back up: the object is written only when this is false. */
export function isEmptyMetadata(c: MetadataContent): boolean {
  return c.annotations.length + c.globalAnnotations.length + c.uidMeta.length + c.tsMeta.length === 0;
}
