import { describe, expect, it } from 'vitest';
import type { ChunkEntry, Manifest } from '../../src/format/manifest.js';
import { describeBackup } from '../../src/inspect/show.js';
import { windowSize } from '../../src/inspect/compare.js';
import { idAt, manifest } from '../support/manifests.js';

function chunk(metric: string, key: string, p: Partial<ChunkEntry>): ChunkEntry {
  const sha = key.repeat(64).slice(0, 64);
  return { key: `data/${sha.slice(0, 2)}/${sha}`, metric, start: 0, end: 100, series: 1, points: 10, bytes: 100, sha256: sha, ...p };
}

function withChunks(m: Manifest, chunks: ChunkEntry[]): Manifest {
  const metrics = [...new Set(chunks.map((c) => c.metric))].map((name) => ({ name, series: 2, points: 0, chunks: 0 }));
  return { ...m, chunks, metrics };
}

describe('describeBackup', () => {
  const full = withChunks(manifest({ id: idAt('2026-01-01T00:00:00Z'), finished: '2026-01-01T00:00:00Z' }), [
    chunk('a', '1', { bytes: 100, firstTimestamp: 10, lastTimestamp: 90 }),
    chunk('b', '2', { bytes: 50, points: 5, firstTimestamp: 20, lastTimestamp: 30 }),
  ]);
  const incr = withChunks(manifest({ id: idAt('2026-01-02T00:00:00Z'), type: 'incremental', parent: full.id, finished: '2026-01-02T00:00:00Z' }), [
    // The same content as a chunk of the full backup: stored once, added nothing.
    chunk('a', '1', { bytes: 100, firstTimestamp: 10, lastTimestamp: 90 }),
    chunk('a', '3', { bytes: 70, points: 7, start: 101, end: 200, firstTimestamp: 150, lastTimestamp: 160 }),
    chunk('a', '3', { bytes: 70, points: 7, start: 101, end: 200, firstTimestamp: 150, lastTimestamp: 160 }),
  ]);

  it('sums stored bytes per metric and counts only chunks no earlier backup references as added (each once)', () => {
    const d = describeBackup(incr, [full, incr]);
    expect(d.metrics).toEqual([{ metric: 'a', series: 2, points: 24, chunks: 3, bytes: 240, addedBytes: 70, firstTimestamp: 10, lastTimestamp: 160 }]);
    expect(d.totals).toEqual({ metrics: 1, series: 2, points: 24, chunks: 3, bytes: 240, addedBytes: 70 });
    expect([d.firstTimestamp, d.lastTimestamp]).toEqual([10, 160]);
  });

  it('counts everything of the first backup as added, and nothing a later backup stored', () => {
    const d = describeBackup(full, [full, incr]);
    expect(d.totals).toMatchObject({ bytes: 150, addedBytes: 150, points: 15 });
    expect(d.metrics.map((m) => [m.metric, m.firstTimestamp, m.lastTimestamp])).toEqual([
      ['a', 10, 90],
      ['b', 20, 30],
    ]);
  });
});

describe('compare window size', () => {
  it('is whole hours, at most 1000 windows per interval', () => {
    expect(windowSize({ start: 0, end: 59_999 })).toBe(3_600_000);
    const year = { start: 0, end: 365 * 86_400_000 - 1 };
    expect(windowSize(year) % 3_600_000).toBe(0);
    expect(Math.ceil((365 * 86_400_000) / windowSize(year))).toBeLessThanOrEqual(1000);
  });
});
