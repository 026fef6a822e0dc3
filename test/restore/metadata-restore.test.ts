// What a restore takes from a chain's metadata objects: the newest backup wins per item, the selection
// and the time range apply, and --shift keeps an annotation's time unit where it can.

import { describe, expect, it } from 'vitest';
import { storeMetadata } from '../../src/repository/metadata-store.js';
import { selectMetrics } from '../../src/fetch/metric-selection.js';
import type { MetadataContent } from '../../src/format/metadata-object.js';
import type { Manifest } from '../../src/format/manifest.js';
import { ChainMetadata, shiftAnnotationTime } from '../../src/restore/metadata-restore.js';
import { PointTransform } from '../../src/restore/point-transform.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { idAt, manifest } from '../support/manifests.js';

const S = 1_788_220_800; // seconds
const note = (metric: string, startTime: number, description: string) => ({ metric, tags: { host: 'a' }, startTime, endTime: 0, description, notes: '' });
const empty: MetadataContent = { annotations: [], globalAnnotations: [], uidMeta: [], tsMeta: [] };

async function chainOf(...contents: MetadataContent[]): Promise<{ repo: Repository; chain: Manifest[] }> {
  const repo = await Repository.init(new MemoryStorage(), { now: new Date('2026-01-01T00:00:00Z') });
  const chain: Manifest[] = [];
  for (const [i, c] of contents.entries()) {
    const at = `2026-01-0${i + 2}T00:00:00Z`;
    const ref = await storeMetadata(repo, c, 3);
    chain.push({
      ...manifest({ id: idAt(at), finished: at, type: i === 0 ? 'full' : 'incremental', parent: chain.at(-1)?.id ?? null }),
      version: 2,
      ...(ref ? { metadata: ref } : {}),
    });
  }
  return { repo, chain };
}

describe('ChainMetadata', () => {
  it('takes each item from the newest backup that has it, within the selection and the range', async () => {
    const { repo, chain } = await chainOf(
      {
        ...empty,
        annotations: [note('m', S + 10, 'old'), note('m', S + 20, 'kept'), note('other', S + 10, 'not selected')],
        uidMeta: [{ type: 'metric', name: 'm', displayName: 'old', description: '', notes: '' }],
      },
      {
        ...empty,
        annotations: [note('m', S + 10, 'new'), note('m', S + 99_999, 'out of range')],
        uidMeta: [
          { type: 'metric', name: 'm', displayName: 'new', description: '', notes: '' },
          { type: 'tagv', name: 'a', displayName: 'A', description: '', notes: '' },
        ],
      },
    );
    const meta = await ChainMetadata.load(repo, chain, selectMetrics(['m']), { start: S * 1000, end: (S + 3600) * 1000 });
    expect([...meta.annotations.values()].map((a) => a.description).sort()).toEqual(['kept', 'new']);
    expect([...meta.uidMeta.values()].map((u) => `${u.type}:${u.displayName}`)).toEqual(['metric:new', 'tagv:A']);
    // The tag value's metadata is written only when a restored series uses it.
    const transform = new PointTransform({ renameMetric: [{ from: 'm', to: 'renamed' }] });
    expect(meta.tally(transform)).toEqual({ annotations: 2, globalAnnotations: 0, uidMeta: 1, tsMeta: 0 });
    meta.noteSeriesTags({ host: 'a' });
    expect(meta.tally(transform)).toEqual({ annotations: 2, globalAnnotations: 0, uidMeta: 2, tsMeta: 0 });
  });

  it('a backup without a metadata object (version 1, or nothing to hold) adds nothing', async () => {
    const { repo, chain } = await chainOf(empty);
    expect(chain[0]!.metadata).toBeUndefined();
    expect((await ChainMetadata.load(repo, chain, selectMetrics([]), { start: 0, end: Number.MAX_SAFE_INTEGER })).empty).toBe(true);
  });
});

describe('shiftAnnotationTime', () => {
  it('keeps seconds for a whole-second shift, moves to milliseconds otherwise, and leaves 0 (no end) alone', () => {
    expect(shiftAnnotationTime(S, 3_600_000)).toBe(S + 3600);
    expect(shiftAnnotationTime(S, 1500)).toBe(S * 1000 + 1500);
    expect(shiftAnnotationTime(S * 1000 + 7, -1000)).toBe(S * 1000 - 993);
    expect(shiftAnnotationTime(0, 3_600_000)).toBe(0);
  });
});
