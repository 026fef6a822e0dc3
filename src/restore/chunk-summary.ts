// Totals of a set of chunks, for plans and reports.

import type { ChunkEntry } from '../format/manifest.js';

export function chunkSelectionSummary(chunks: readonly ChunkEntry[]): { metrics: number; points: number; bytes: number } {
  return {
    metrics: new Set(chunks.map((c) => c.metric)).size,
    points: chunks.reduce((n, c) => n + c.points, 0),
    bytes: chunks.reduce((n, c) => n + c.bytes, 0),
  };
}
