// Small manifests for tests of chains, retention and selection.

import type { Manifest } from '../../src/format/manifest.js';

export function manifest(p: {
  id: string;
  type?: 'full' | 'incremental';
  parent?: string | null;
  finished: string;
  start?: number;
  end?: number;
  source?: string;
}): Manifest {
  return {
    format: 'tsdb-backup-manifest',
    version: 1,
    id: p.id,
    type: p.type ?? 'full',
    parent: p.parent ?? null,
    tool: { name: 'tsdb-backup', version: 'test' },
    source: { url: p.source ?? 'http://tsd:4242', version: '2.4.1' },
    range: { start: p.start ?? 0, end: p.end ?? Date.parse(p.finished) },
    selection: { metrics: [] },
    startedAt: p.finished,
    finishedAt: p.finished,
    totals: { metrics: 0, series: 0, points: 0, chunks: 0, bytes: 0 },
    metrics: [],
    chunks: [],
  };
}

/** A backup id for a time: 2026-01-02T03:04:05Z -> 20260102T030405Z-<suffix>. */
export function idAt(iso: string, suffix = 'aaaaaa'): string {
  return `${iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${suffix}`;
}
