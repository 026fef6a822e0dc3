// The metadata collector: annotations of answered series within the backup's range, once each, and the
// UIDs of their TSUIDs decoded by the source's UID widths.

import { describe, expect, it } from 'vitest';
import { MetadataCollector, uidWidths } from '../../src/backup/metadata-collector.js';
import type { QueriedSeries } from '../../src/opentsdb/query-response.js';

const series = (tags: Record<string, string>, extra: Partial<QueriedSeries>): QueriedSeries => ({
  metric: 'm',
  tags,
  timestamps: [],
  kinds: [],
  values: [],
  ...extra,
});

/** A client whose every UID has metadata named after it, and no global annotation. */
function fakeClient(asked: string[]) {
  return {
    toString: () => 'fake',
    globalAnnotations: async () => [],
    request: async (req: { path: string }) => {
      const q = new URLSearchParams(req.path.split('?')[1]);
      asked.push(`${q.get('type')}:${q.get('uid')}`);
      const uid = q.get('uid')!;
      return {
        status: 200,
        bytes: 0,
        text: JSON.stringify({
          uid,
          type: q.get('type'),
          name: `n${uid}`,
          displayName: uid === '000002' ? '' : `D${uid}`,
          description: '',
          notes: '',
          custom: null,
        }),
      };
    },
  };
}

describe('MetadataCollector', () => {
  it('reads the UID widths from the config, 3 bytes each by default', () => {
    expect(uidWidths({})).toEqual({ metric: 3, tagk: 3, tagv: 3 });
    expect(uidWidths({ 'tsd.storage.uid.width.metric': '4', 'tsd.storage.uid.width.tagv': 'x' })).toEqual({ metric: 4, tagk: 3, tagv: 3 });
  });

  it('keeps annotations in the range once each, and asks for each distinct UID once, keeping only non-default metadata', async () => {
    const c = new MetadataCollector({ start: 1_788_220_800_000, end: 1_788_224_400_000 }, uidWidths({}));
    const note = (startTime: number, description: string) => ({ tsuid: 'x', startTime, endTime: 0, description, notes: '' });
    const a = series(
      { host: 'a', dc: 'x' },
      {
        tsuids: ['000001000002000003000004000005'],
        annotations: [note(1_788_220_830, 'seconds'), note(1_788_220_860_001, 'ms'), note(1_788_224_401, 'after the range')],
      },
    );
    c.addSeries('m', [a]);
    c.addSeries('m', [a]); // the same window read again (a split or a retry)
    c.addSeries('m', [series({ host: 'b', dc: 'x' }, { tsuids: ['000001000002000006000004000005', 'short'] })]);
    expect(c.undecodable).toBe(1);
    const asked: string[] = [];
    const out = await c.finish(fakeClient(asked), [{ name: 'm', points: 1 }], { progress: () => undefined });
    expect(out.annotations.map((x) => [x.tags, x.startTime, x.description])).toEqual([
      [{ dc: 'x', host: 'a' }, 1_788_220_830, 'seconds'],
      [{ dc: 'x', host: 'a' }, 1_788_220_860_001, 'ms'],
    ]);
    expect(asked.sort()).toEqual(['metric:000001', 'tagk:000002', 'tagk:000004', 'tagv:000003', 'tagv:000005', 'tagv:000006']);
    // 000002 has no display name: default metadata, left out.
    expect(out.uidMeta.map((u) => `${u.type}:${u.name}`)).toEqual(['metric:n000001', 'tagk:n000004', 'tagv:n000003', 'tagv:n000005', 'tagv:n000006']);
  });

  it('reads no UID metadata when told not to (--no-uid-meta), and still keeps the annotations', async () => {
    const c = new MetadataCollector({ start: 1_788_220_800_000, end: 1_788_224_400_000 }, uidWidths({}));
    c.addSeries('m', [
      series(
        { host: 'a' },
        { tsuids: ['000001000002000003'], annotations: [{ tsuid: 'x', startTime: 1_788_220_830, endTime: 0, description: 'd', notes: '' }] },
      ),
    ]);
    const asked: string[] = [];
    const out = await c.finish(fakeClient(asked), [{ name: 'm', points: 1 }], { progress: () => undefined, uidMeta: false });
    expect(asked).toEqual([]);
    expect(out.uidMeta).toEqual([]);
    expect(out.annotations).toHaveLength(1);
  });
});
