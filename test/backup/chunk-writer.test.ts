import { describe, expect, it } from 'vitest';
import { writeChunk } from '../../src/backup/chunk-writer.js';
import { Repository } from '../../src/repository/repository.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { KIND_INT, type ValueKind } from '../../src/format/point-value.js';

describe('writing a chunk', () => {
  it('keeps only its manifest entry (series names are reported, not retained), so memory does not grow with chunks x series', async () => {
    const repo = await Repository.init(new MemoryStorage(), { now: new Date(0) });
    const series = Array.from({ length: 50 }, (_, i) => ({
      metric: 'm',
      tags: { host: `h${i}` },
      timestamps: [1000, 2000],
      kinds: [KIND_INT, KIND_INT] as ValueKind[],
      values: [1, 2],
    }));
    const seen: string[] = [];
    const written = await writeChunk(
      repo,
      { unit: { metric: 'm', start: 0, end: 3000, filters: [] }, series, points: 100, responseBytes: 0 },
      3,
      undefined,
      (k) => seen.push(k),
    );
    expect(Object.keys(written!).sort()).toEqual(['entry', 'reused']);
    expect(written!.entry).toMatchObject({ series: 50, points: 100 });
    expect(new Set(seen).size).toBe(50);
  });
});
