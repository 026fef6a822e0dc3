// Backup's sink: each piece of a settled window becomes one content-addressed chunk in the repository, recorded
// for the manifest that is written once every metric is done.

import type { SettledWindow } from '../fetch/settled-windows.js';
import type { WindowSink } from '../fetch/window-sink.js';
import type { ProgressReporter } from '../progress.js';
import type { Repository } from '../repository/repository.js';
import { writeChunk, type WrittenChunk } from './chunk-writer.js';

export class ChunkSink implements WindowSink {
  readonly chunks: WrittenChunk[] = [];
  // Bounded by the metric's series, not by chunks x series (see chunk-writer.ts).
  private readonly seriesSeen = new Set<string>();

  constructor(
    private readonly repo: Repository,
    private readonly zstdLevel: number,
    private readonly progress: ProgressReporter,
  ) {}

  get series(): number {
    return this.seriesSeen.size;
  }

  /** Whether a series (by series key) has points in a chunk written so far. */
  hasSeries(key: string): boolean {
    return this.seriesSeen.has(key);
  }

  async write(window: SettledWindow, signal?: AbortSignal): Promise<void> {
    for (const piece of window.pieces) {
      const written = await writeChunk(this.repo, piece, this.zstdLevel, signal, (key) => void this.seriesSeen.add(key));
      if (!written) continue;
      this.chunks.push(written);
      this.progress({ type: 'chunk', metric: piece.unit.metric, points: written.entry.points, bytes: written.entry.bytes, series: written.entry.series });
    }
  }
}
