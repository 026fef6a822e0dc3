// The annotations and metadata object: what is encoded is decoded field by field, and anything else is
// refused with the field named.

import { compress } from 'zstd-napi';
import { describe, expect, it } from 'vitest';
import { decodeMetadata, encodeMetadata, isEmptyMetadata, MetadataFormatError, type MetadataContent } from '../../src/format/metadata-object.js';

const content: MetadataContent = {
  annotations: [{ metric: 'sys.cpu', tags: { host: 'a' }, startTime: 1788220830, endTime: 0, description: 'deploy', notes: '', custom: { owner: 'ops' } }],
  globalAnnotations: [{ startTime: 1788228000500, endTime: 1788228000900, description: 'outage', notes: 'n' }],
  uidMeta: [{ type: 'tagv', name: 'a', displayName: 'A', description: '', notes: '' }],
  tsMeta: [
    { metric: 'sys.cpu', tags: { host: 'a' }, displayName: '', description: 'd', notes: '', units: 'ms', dataType: '', retention: 30, max: 100, min: 'NaN' },
  ],
};

describe('metadata object', () => {
  it('decodes what was encoded, field by field', () => {
    expect(decodeMetadata(encodeMetadata(content, 3))).toEqual({ format: 'tsdb-backup-metadata', version: 1, ...content });
    expect(isEmptyMetadata(content)).toBe(false);
    expect(isEmptyMetadata({ annotations: [], globalAnnotations: [], uidMeta: [], tsMeta: [] })).toBe(true);
  });

  it('refuses bytes that are not zstd JSON, and JSON that breaks the schema, naming the field', () => {
    expect(() => decodeMetadata(Buffer.from('nope'))).toThrow(MetadataFormatError);
    const bad = {
      format: 'tsdb-backup-metadata',
      version: 1,
      ...content,
      uidMeta: [{ type: 'tsuid', name: 'x', displayName: '', description: '', notes: '' }],
    };
    expect(() => decodeMetadata(compress(Buffer.from(JSON.stringify(bad))))).toThrow(/field 'uidMeta\.0\.type'/);
    const future = { ...bad, uidMeta: [], version: 2 };
    expect(() => decodeMetadata(compress(Buffer.from(JSON.stringify(future))))).toThrow(/field 'version'/);
  });
});
