// The annotations and metadata object of a backup (manifest version 2, docs/FORMAT.md section 5): one zstd
// frame of UTF-8 JSON, stored content-addressed like a chunk and validated by schema whenever it is read.

import { compress, decompress, loadZstd } from './zstd.js';
import * as v from '../validation/schema.js';
import { describeSchemaError } from './manifest.js';

export const METADATA_FORMAT = 'tsdb-backup-metadata';
export const METADATA_VERSION = 1;

const text = v.string();
const custom = v.record(v.string()).optional();
/** As the TSD gave it: seconds up to 2^32 - 1, milliseconds above (OpenTSDB keys an annotation by it). */
const annotationTime = v.number().int().nonnegative();

const annotationFields = {
  startTime: annotationTime.positive(),
  endTime: annotationTime,
  description: text,
  notes: text,
  custom,
};

export const globalAnnotationSchema = v.object(annotationFields);
export const seriesAnnotationSchema = v.object({ metric: v.string().min(1), tags: v.record(v.string()), ...annotationFields });

const metaFields = { displayName: text, description: text, notes: text, custom };

export const uidMetaSchema = v.object({ type: v.enumOf(['metric', 'tagk', 'tagv']), name: v.string().min(1), ...metaFields });

/** A double the TSD may write as NaN (its default for an unset max or min), kept as a string then. */
const double = v.union([v.number(), v.literal('NaN')]);

export const tsMetaSchema = v.object({
  metric: v.string().min(1),
  tags: v.record(v.string()),
  ...metaFields,
  units: text,
  dataType: text,
  retention: v.number().int(),
  max: double,
  min: double,
});

export const metadataObjectSchema = v.object({
  format: v.literal(METADATA_FORMAT),
  version: v.literal(METADATA_VERSION),
  annotations: v.array(seriesAnnotationSchema),
  globalAnnotations: v.array(globalAnnotationSchema),
  uidMeta: v.array(uidMetaSchema),
  tsMeta: v.array(tsMetaSchema),
});

export type GlobalAnnotation = v.Infer<typeof globalAnnotationSchema>;
export type SeriesAnnotation = v.Infer<typeof seriesAnnotationSchema>;
export type UidMeta = v.Infer<typeof uidMetaSchema>;
export type TsMeta = v.Infer<typeof tsMetaSchema>;
export type MetadataObject = v.Infer<typeof metadataObjectSchema>;
export type MetadataContent = Omit<MetadataObject, 'format' | 'version'>;

export class MetadataFormatError extends Error {}

export function encodeMetadata(content: MetadataContent, zstdLevel: number): Uint8Array {
  const doc: MetadataObject = { format: METADATA_FORMAT, version: METADATA_VERSION, ...content };
  return compress(Buffer.from(JSON.stringify(metadataObjectSchema.parse(doc))), { compressionLevel: zstdLevel, checksumFlag: true });
}

export function decodeMetadata(bytes: Uint8Array): MetadataObject {
  let doc: unknown;
  loadZstd();
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
