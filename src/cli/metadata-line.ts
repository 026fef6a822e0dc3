// The human line for what a backup or restore did with annotations and metadata.

import type { MetadataTally } from '../restore/metadata-restore.js';

export const NO_METADATA: MetadataTally = { annotations: 0, globalAnnotations: 0, uidMeta: 0, tsMeta: 0 };

export function metadataLine(verb: string, t: MetadataTally | undefined): string {
  const c = t ?? NO_METADATA;
  return `${verb} ${c.annotations} annotation(s), ${c.globalAnnotations} global annotation(s), UID metadata of ${c.uidMeta} name(s), TS metadata of ${c.tsMeta} series\n`;
}
